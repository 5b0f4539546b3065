using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using GanStream.Pipeline.Models.Tiling;
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
    private long lastInputSize;
    private int disposed;

    private SuperResolutionModel(
        ModelManifest manifest,
        string directory,
        InferenceSession session,
        string executionProvider,
        ModelSignature signature,
        TilingPolicy tiling)
    {
        Manifest = manifest;
        Directory = directory;
        this.session = session;
        ExecutionProvider = executionProvider;
        Signature = signature;
        Tiling = tiling;
        InputFormat = TensorFormat.FromSpec(manifest.Input, manifest.Id);
        OutputFormat = TensorFormat.FromSpec(manifest.Output, manifest.Id);
        inputNames = [manifest.Input.Name];
        outputNames = [manifest.Output.Name];
    }

    public ModelManifest Manifest { get; }

    /// <summary>
    /// Most images of a batch that one inference call takes on a model with a dynamic batch axis; a larger batch runs
    /// in several calls. See <see cref="InferenceOptions.MaxImagesPerCall"/>.
    /// </summary>
    public int ImagesPerCall { get; private init; } = int.MaxValue;

    /// <summary>Folder of this version in the model repository.</summary>
    public string Directory { get; }

    /// <summary>ONNX Runtime execution provider of the session, for example <c>CPUExecutionProvider</c>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Fixed dimensions of the ONNX input, where the file fixes any.</summary>
    public ModelSignature Signature { get; }

    /// <summary>Tile size and overlap, and which frames are tiled.</summary>
    public TilingPolicy Tiling { get; }

    /// <summary>Input height and width of the most recent inference call, or null before the first one.</summary>
    public (int Height, int Width)? LastInputSize
    {
        get
        {
            long packed = Volatile.Read(ref lastInputSize);
            return packed == 0 ? null : ((int)(packed >> 32), (int)packed);
        }
    }

    /// <summary>Whether <see cref="Dispose"/> has released the session.</summary>
    internal bool IsDisposed => Volatile.Read(ref disposed) != 0;

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
    /// <param name="previousInputSize">
    /// Input size that the version this one replaces ran last; the warm-up uses it unless the options set a size.
    /// </param>
    /// <exception cref="ModelLoadException">The files are missing or do not match each other.</exception>
    public static SuperResolutionModel Load(
        string directory,
        InferenceOptions options,
        ILogger logger,
        (int Height, int Width)? previousInputSize = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();

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

        SuperResolutionModel model;
        try
        {
            ModelSignature signature = ModelSignature.Check(manifest, session);
            TilingPolicy tiling = TilingPolicy.Create(manifest, signature, options);
            model = new SuperResolutionModel(manifest, directory, session, provider, signature, tiling)
            {
                ImagesPerCall = options.ImagesPerCall(provider),
            };
        }
        catch
        {
            session.Dispose();
            throw;
        }

        ModelLog.ModelLoaded(logger, manifest.Id, directory, provider, stopwatch.Elapsed.TotalMilliseconds);

        // The first run checks the output shape against the scale factor, which a dynamic output size leaves open.
        WarmUpShape shape = options.WarmUp
            ? WarmUpShape.Choose(model, options, previousInputSize)
            : WarmUpShape.Smallest(model);
        try
        {
            stopwatch.Restart();
            model.CheckedRun(shape);
        }
        catch (Exception exception) when (exception is OnnxRuntimeException or ModelLoadException)
        {
            model.Dispose();
            throw exception as ModelLoadException ?? new ModelLoadException(
                $"Model {manifest.Id}: the first run on a {shape.Width}x{shape.Height} input failed: {exception.Message}",
                exception);
        }

        if (options.WarmUp)
        {
            ModelLog.ModelWarmedUp(
                logger,
                manifest.Id,
                shape.BatchSize,
                shape.Width,
                shape.Height,
                shape.Source,
                stopwatch.Elapsed.TotalMilliseconds);
        }

        return model;
    }

    /// <summary>Runs one batch.</summary>
    /// <param name="input">
    /// <paramref name="batchSize"/> images of <paramref name="height"/> x <paramref name="width"/> pixels in the
    /// model's input format, one after the other; the array may be longer.
    /// </param>
    /// <remarks>
    /// A model whose ONNX file fixes the batch size runs the images in groups of that size, and the last group is
    /// padded with all-zero images. A fixed height or width must match, so other frames go through
    /// <see cref="TiledInference"/>.
    /// </remarks>
    public ModelOutput Run(float[] input, int batchSize, int height, int width)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        int imageLength = checked(height * width * 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(input.Length, checked(batchSize * imageLength), nameof(input));
        if ((Signature.Height ?? height) != height || (Signature.Width ?? width) != width)
        {
            string fixedHeight = Signature.Height?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any";
            string fixedWidth = Signature.Width?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any";
            throw new ArgumentException(
                $"Model {Manifest.Id} takes inputs of {fixedHeight}x{fixedWidth} (height x width), not " +
                $"{height}x{width}. Run other sizes through TiledInference.",
                nameof(input));
        }

        Volatile.Write(ref lastInputSize, ((long)height << 32) | (uint)width);
        int perCall = Signature.BatchSize ?? Math.Min(batchSize, ImagesPerCall);
        var runs = new List<IDisposableReadOnlyCollection<OrtValue>>((batchSize + perCall - 1) / perCall);
        try
        {
            for (int first = 0; first < batchSize; first += perCall)
            {
                int count = Math.Min(perCall, batchSize - first);
                runs.Add(RunOnce(input.AsMemory(first * imageLength, count * imageLength), perCall, height, width));
            }
        }
        catch
        {
            runs.ForEach(values => values.Dispose());
            throw;
        }

        return new ModelOutput(runs, perCall, batchSize, height * ScaleFactor, width * ScaleFactor);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        session.Dispose();
        runOptions.Dispose();
    }

    /// <summary>Runs one call of <paramref name="batchSize"/> images, padding <paramref name="images"/> with zeros.</summary>
    private IDisposableReadOnlyCollection<OrtValue> RunOnce(Memory<float> images, int batchSize, int height, int width)
    {
        long[] shape = InputFormat.ChannelsFirst
            ? [batchSize, 3, height, width]
            : [batchSize, height, width, 3];
        int length = batchSize * height * width * 3;
        if (images.Length < length)
        {
            // Only a fixed batch size leaves a short group; the padding images' outputs are never read.
            var padded = new float[length];
            images.CopyTo(padded);
            images = padded;
        }

        using OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, images, shape);
        return session.Run(runOptions, inputNames, [inputValue], outputNames);
    }

    /// <summary>Runs an all-zero input of <paramref name="shape"/> and checks the output shape.</summary>
    /// <exception cref="ModelLoadException">The output size does not match the manifest's scale factor or layout.</exception>
    private void CheckedRun(WarmUpShape shape)
    {
        var input = new float[shape.BatchSize * shape.Height * shape.Width * 3];
        using IDisposableReadOnlyCollection<OrtValue> outputs = RunOnce(input, shape.BatchSize, shape.Height, shape.Width);
        long[] actual = outputs[0].GetTensorTypeAndShape().Shape;
        long outHeight = (long)shape.Height * ScaleFactor;
        long outWidth = (long)shape.Width * ScaleFactor;
        long[] expected = OutputFormat.ChannelsFirst
            ? [shape.BatchSize, 3, outHeight, outWidth]
            : [shape.BatchSize, outHeight, outWidth, 3];
        if (!actual.SequenceEqual(expected))
        {
            throw new ModelLoadException(
                $"Model {Manifest.Id}: manifest fields 'scaleFactor' and 'output.layout' do not match the ONNX file: " +
                $"an input of {shape.Width}x{shape.Height} gives an output of shape [{string.Join(", ", actual)}], " +
                $"not [{string.Join(", ", expected)}].");
        }
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
