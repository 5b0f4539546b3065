using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace GanStream.Pipeline.Models;

/// <summary>
/// One loaded super-resolution model version: its manifest, checked against the ONNX file, and an ONNX Runtime
/// session. <see cref="Run"/> is safe to call from several threads.
/// </summary>
public sealed class SuperResolutionModel : IDisposable
{
    public const string ManifestFileName = "manifest.json";
    public const string ModelFileName = "model.onnx";

    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames;

    private SuperResolutionModel(
        ModelManifest manifest,
        string directory,
        InferenceSession session,
        string executionProvider,
        ModelSignature signature)
    {
        Manifest = manifest;
        Directory = directory;
        this.session = session;
        ExecutionProvider = executionProvider;
        Signature = signature;
        InputFormat = TensorFormat.FromSpec(manifest.Input, manifest.Id);
        OutputFormat = TensorFormat.FromSpec(manifest.Output, manifest.Id);
        inputNames = [manifest.Input.Name];
        outputNames = [manifest.Output.Name];
    }

    public ModelManifest Manifest { get; }

    /// <summary>Folder of this version in the model repository.</summary>
    public string Directory { get; }

    /// <summary>ONNX Runtime execution provider of the session, for example <c>CPUExecutionProvider</c>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Fixed dimensions of the ONNX input, where the file fixes any.</summary>
    public ModelSignature Signature { get; }

    public TensorFormat InputFormat { get; }

    public TensorFormat OutputFormat { get; }

    public int ScaleFactor => Manifest.ScaleFactor;

    /// <summary>Reads a manifest from a model version folder, without loading the model.</summary>
    public static ModelManifest ReadManifest(string directory)
    {
        string path = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"Model manifest '{path}' is missing; each model version folder needs {ManifestFileName}.");
        }

        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), ModelManifest.SerializerOptions);
        }
        catch (JsonException exception)
        {
            throw new ModelLoadException($"Model manifest '{path}' is not valid JSON for a manifest: {exception.Message}", exception);
        }

        if (manifest is null)
        {
            throw new ModelLoadException($"Model manifest '{path}' is empty.");
        }

        if (manifest.ScaleFactor is < 1 or > 16)
        {
            throw new ModelLoadException($"Model {manifest.Id}: scaleFactor {manifest.ScaleFactor} is invalid; use 1 to 16.");
        }

        return manifest;
    }

    /// <summary>Loads and checks one model version folder holding <c>manifest.json</c> and <c>model.onnx</c>.</summary>
    /// <exception cref="ModelLoadException">The files are missing or do not match each other.</exception>
    public static SuperResolutionModel Load(string directory, InferenceOptions options, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);

        var stopwatch = Stopwatch.StartNew();
        ModelManifest manifest = ReadManifest(directory);
        string modelPath = Path.Combine(directory, ModelFileName);
        if (!File.Exists(modelPath))
        {
            throw new ModelLoadException($"Model {manifest.Id}: ONNX file '{modelPath}' is missing.");
        }

        VerifyChecksum(manifest, modelPath);

        (SessionOptions sessionOptions, string provider) = ExecutionProviders.CreateSessionOptions(options, logger);
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, sessionOptions);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new ModelLoadException($"Model {manifest.Id}: ONNX Runtime could not load '{modelPath}': {exception.Message}", exception);
        }
        finally
        {
            sessionOptions.Dispose();
        }

        try
        {
            ModelSignature signature = ModelSignature.Check(manifest, session);
            var model = new SuperResolutionModel(manifest, directory, session, provider, signature);
            ModelLog.ModelLoaded(logger, manifest.Id, directory, provider, stopwatch.Elapsed.TotalMilliseconds);
            if (options.WarmUp)
            {
                model.WarmUp(logger);
            }

            return model;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs one batch.</summary>
    /// <param name="input">
    /// <paramref name="batchSize"/> images of <paramref name="height"/> x <paramref name="width"/> pixels in the
    /// model's input format, one after the other; the array may be longer.
    /// </param>
    public ModelOutput Run(float[] input, int batchSize, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int count = checked(batchSize * height * width * 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(input.Length, count, nameof(input));

        long[] shape = InputFormat.ChannelsFirst
            ? [batchSize, 3, height, width]
            : [batchSize, height, width, 3];

        using OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, count), shape);
        IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, inputNames, [inputValue], outputNames);
        return new ModelOutput(outputs, batchSize, height * ScaleFactor, width * ScaleFactor);
    }

    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }

    private void WarmUp(ILogger logger)
    {
        var stopwatch = Stopwatch.StartNew();
        int height = Signature.Height ?? Math.Min(Math.Max(Manifest.Tile.Size, 16), 64);
        int width = Signature.Width ?? height;
        int batch = Signature.BatchSize ?? 1;
        var input = new float[batch * height * width * 3];
        using ModelOutput output = Run(input, batch, height, width);
        ModelLog.ModelWarmedUp(logger, Manifest.Id, width, height, stopwatch.Elapsed.TotalMilliseconds);
    }

    private static void VerifyChecksum(ModelManifest manifest, string modelPath)
    {
        if (string.IsNullOrWhiteSpace(manifest.Sha256))
        {
            return;
        }

        using FileStream stream = File.OpenRead(modelPath);
        string actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(actual, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException(
                $"Model {manifest.Id}: sha256 of '{modelPath}' is {actual} but the manifest says {manifest.Sha256}; " +
                "the file was changed or truncated. Restore it or update the manifest.");
        }
    }
}
