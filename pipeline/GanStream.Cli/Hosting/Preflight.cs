using Confluent.Kafka;
using GanStream.Edge.Capture;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Models;
using OpenCvSharp;

namespace GanStream.Cli.Hosting;

/// <summary>Checks run before a service starts, so that common mistakes end with one clear message.</summary>
internal static class Preflight
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Loads OpenCV's native library.</summary>
    public static void CheckOpenCv()
    {
        try
        {
            _ = Cv2.GetVersionString();
        }
        catch (Exception exception) when (exception is TypeInitializationException or DllNotFoundException or BadImageFormatException)
        {
            string detail = exception.InnerException?.Message ?? exception.Message;
            throw new CliException(
                "OpenCV's native library (libOpenCvSharpExtern.so) could not be loaded. On Debian or Ubuntu it needs " +
                $"GTK 3: run 'sudo apt-get install -y libgtk-3-0' or 'sudo ops/install-deps.sh'. Detail: {detail}",
                exception);
        }
    }

    /// <summary>Opens a camera source once and closes it again.</summary>
    public static void CheckSource(string source, string option)
    {
        try
        {
            CameraSourceSpec spec = CameraSourceSpec.Parse(source);
            if (spec.Kind != CameraSourceKind.File)
            {
                return;
            }

            using CameraSource opened = CameraSource.Open(spec, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        }
        catch (Exception exception) when (exception is ArgumentException or CameraSourceException)
        {
            throw new CliException($"{option}: {exception.Message}", exception);
        }
    }

    /// <summary>Finds a model in the repository and reads its manifest.</summary>
    public static void CheckModel(string repositoryPath, string? model, string option)
    {
        string root = Pipeline.Hosting.ContentPaths.Resolve(repositoryPath);
        if (!Directory.Exists(root))
        {
            throw new CliException($"--model-repository: folder '{root}' does not exist. Run from the repository root or give its models folder.");
        }

        try
        {
            var repository = new ModelRepository(
                new ModelRepositoryOptions { Path = root, DefaultModel = model ?? "esrgan-medium-x4" },
                new InferenceOptions(),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelRepository>.Instance);
            SuperResolutionModel.ReadManifest(repository.ResolveDirectory(null));
        }
        catch (ModelLoadException exception)
        {
            throw new CliException($"{option}: {exception.Message}", exception);
        }
    }

    /// <summary>Asks configured brokers for metadata; the embedded broker needs no check.</summary>
    public static void CheckBroker(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.UsesEmbeddedBroker)
        {
            return;
        }

        var config = KafkaClientConfigFactory.Apply(new AdminClientConfig(), options, options.BootstrapServers!);
        config.SocketTimeoutMs = (int)BrokerTimeout.TotalMilliseconds;
        config.Set("log_level", "0");
        using IAdminClient admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        try
        {
            admin.GetMetadata(BrokerTimeout);
        }
        catch (KafkaException exception)
        {
            throw new CliException(
                $"--bootstrap-servers: no Kafka broker at '{options.BootstrapServers}' answered within {BrokerTimeout.TotalSeconds:F0} s " +
                $"({exception.Error.Reason}). Check the address and that the brokers are running, or leave the option out " +
                "to use the embedded broker.",
                exception);
        }
    }
}
