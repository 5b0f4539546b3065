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
                $"GTK 3: run 'apt-get install -y libgtk-3-0' as root, or 'ops/install-deps.sh'. Detail: {detail}",
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
        catch (ArgumentException exception)
        {
            // The parameter name that ArgumentException appends means nothing to a user of the command line.
            string message = exception.ParamName is null
                ? exception.Message
                : exception.Message.Replace($" (Parameter '{exception.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new CliException($"{option}: {message}", exception);
        }
        catch (CameraSourceException exception)
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

    /// <summary>
    /// Checks the settings of the edge, worker and inference sections, so that a bad value stops the command before
    /// anything starts, with one message.
    /// </summary>
    public static void CheckSettings(Action validate)
    {
        ArgumentNullException.ThrowIfNull(validate);
        try
        {
            validate();
        }
        catch (ArgumentException exception)
        {
            throw new CliException(exception.Message, exception);
        }
    }

    /// <summary>Checks that every address of <c>Metrics:Urls</c> is an absolute http or https URL with a port.</summary>
    public static void CheckMetricsUrls(string? urls)
    {
        foreach (string url in (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool valid = Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out Uri? uri)
                && uri.Scheme is "http" or "https"
                && !string.IsNullOrEmpty(uri.Host);
            if (!valid)
            {
                throw new CliException(
                    $"--metrics-url '{url}' is invalid; give an http address with a port, for example http://127.0.0.1:9464 " +
                    "or http://0.0.0.0:9464, or port 0 for any free port.");
            }
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

        CheckBrokerList(options.BootstrapServers!);

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

    private static void CheckBrokerList(string servers)
    {
        foreach (string server in servers.Split(',', StringSplitOptions.TrimEntries))
        {
            int colon = server.LastIndexOf(':');
            bool valid = colon > 0
                && !server.Contains('/', StringComparison.Ordinal)
                && int.TryParse(server[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port)
                && port is > 0 and <= 65535;
            if (!valid)
            {
                throw new CliException(
                    $"--bootstrap-servers '{servers}' is invalid: '{server}' is not host:port. Give a comma-separated " +
                    "list such as kafka-1:9092,kafka-2:9092.");
            }
        }
    }
}
