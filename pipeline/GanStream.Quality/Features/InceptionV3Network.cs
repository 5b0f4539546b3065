using GanStream.Pipeline.Models;
using GanStream.Quality.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace GanStream.Quality.Features;

/// <summary>
/// An Inception-v3 ONNX file supplied by the user, for FID and the Inception Score. No package registry reachable
/// from this project ships Inception weights, so nothing here downloads them. The file must have one float32 input
/// of 299x299 RGB images, either [N, 3, 299, 299] or [N, 299, 299, 3] (N may be 1 or symbolic), with values
/// <c>byte / 127.5 − 1</c> in [−1, 1] as in the TensorFlow Inception graph that FID was defined with, and at least one
/// of these outputs, recognised by their size per image: the pool3 features (2048 values, for FID) and the class
/// logits before the softmax (1008 values as in that graph, or 1000, for the Inception Score). Images are resized to
/// 299x299 bilinearly without keeping the aspect ratio, as the reference FID implementations do.
/// </summary>
public sealed class InceptionV3Network : IDisposable
{
    public const int InputSize = 299;
    public const int PoolLength = 2048;

    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string inputName;
    private readonly bool channelsFirst;
    private readonly string? poolOutput;
    private readonly string? logitsOutput;

    /// <exception cref="FeatureModelException">The file is missing or its signature is not the one described above.</exception>
    public InceptionV3Network(string path, InferenceOptions options, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);

        session = OnnxFiles.Open(path, options, logger, out _);
        try
        {
            (inputName, channelsFirst) = FindInput(session, path);
            foreach ((string name, NodeMetadata metadata) in session.OutputMetadata)
            {
                long perImage = metadata.Dimensions.Skip(1).Aggregate(1L, (product, d) => product * Math.Max(d, 1));
                if (perImage == PoolLength && poolOutput is null)
                {
                    poolOutput = name;
                }
                else if (perImage is 1000 or 1008 && logitsOutput is null)
                {
                    logitsOutput = name;
                }
            }

            if (poolOutput is null && logitsOutput is null)
            {
                throw new FeatureModelException(
                    $"Inception file '{path}' has no output of 2048 values (pool3) or of 1000 or 1008 values (logits) " +
                    $"per image; its outputs are {DescribeOutputs(session)}.");
            }
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file has a pool3 output, so FID can be computed.</summary>
    public bool HasPool => poolOutput is not null;

    /// <summary>Whether the file has a logits output, so the Inception Score can be computed.</summary>
    public bool HasLogits => logitsOutput is not null;

    /// <summary>Runs the network on one 8-bit BGR image.</summary>
    public InceptionOutputs Extract(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ImageChecks.RequireBgr8(bgr, nameof(bgr));

        var pixels = new float[3 * InputSize * InputSize];
        using (var resized = new Mat())
        {
            Cv2.Resize(bgr, resized, new Size(InputSize, InputSize), 0, 0, InterpolationFlags.Linear);
            PlanarRgb.Pack(resized, pixels, scale: 1f / 127.5f, offset: -1f, channelsFirst);
        }

        long[] shape = channelsFirst ? [1, 3, InputSize, InputSize] : [1, InputSize, InputSize, 3];
        string[] outputs = new[] { poolOutput, logitsOutput }.OfType<string>().ToArray();
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(pixels, shape);
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, [inputName], [input], outputs);

        float[]? pool = poolOutput is null ? null : results[0].GetTensorDataAsSpan<float>().ToArray();
        float[]? logits = logitsOutput is null ? null : results[outputs.Length - 1].GetTensorDataAsSpan<float>().ToArray();
        return new InceptionOutputs(pool, logits);
    }

    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }

    private static (string Name, bool ChannelsFirst) FindInput(InferenceSession session, string path)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw new FeatureModelException($"Inception file '{path}' has {session.InputMetadata.Count} inputs; expected one.");
        }

        (string name, NodeMetadata metadata) = session.InputMetadata.First();
        int[] d = metadata.Dimensions;
        bool isFloat = metadata.ElementDataType == TensorElementType.Float;
        if (isFloat && d is [_, 3, InputSize, InputSize])
        {
            return (name, true);
        }

        if (isFloat && d is [_, InputSize, InputSize, 3])
        {
            return (name, false);
        }

        throw new FeatureModelException(
            $"Inception file '{path}' has input '{name}' of {metadata.ElementDataType} [{string.Join(", ", d)}]; " +
            $"expected float [N, 3, {InputSize}, {InputSize}] or [N, {InputSize}, {InputSize}, 3].");
    }

    private static string DescribeOutputs(InferenceSession session) =>
        string.Join(", ", session.OutputMetadata.Select(o => $"{o.Key} [{string.Join(", ", o.Value.Dimensions)}]"));
}
