using System.Diagnostics;
using GanStream.Cloud.Decoding;
using GanStream.Pipeline.Models;
using GanStream.Pipeline.Models.Tiling;
using Microsoft.Extensions.Logging;

namespace GanStream.Cloud.Inference;

/// <summary>
/// Copies the frames of a batch into one input tensor and runs the model once, or runs a frame that needs tiling
/// in batches of its tiles. Used by one thread.
/// </summary>
public sealed class BatchRunner
{
    private readonly int maxTilesPerCall;
    private readonly ILogger logger;
    private float[] input = [];

    /// <param name="maxTilesPerCall">Most tiles of a tiled frame in one inference call.</param>
    public BatchRunner(int maxTilesPerCall, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTilesPerCall, 1);
        ArgumentNullException.ThrowIfNull(logger);
        this.maxTilesPerCall = maxTilesPerCall;
        this.logger = logger;
    }

    /// <summary>Runs a batch whose frames share a model and a size, or a batch of one tiled frame.</summary>
    /// <exception cref="Microsoft.ML.OnnxRuntime.OnnxRuntimeException">The model failed on this input.</exception>
    public InferredBatch Run(IReadOnlyList<DecodedFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfZero(frames.Count);

        DecodedFrame first = frames[0];
        if (first.Tiled)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(frames.Count, 1, nameof(frames));
            return RunTiled(first, frames);
        }

        int imageLength = first.Width * first.Height * 3;
        int length = imageLength * frames.Count;

        // The input buffer only grows, so batches of the usual size reuse it without allocating.
        if (input.Length < length)
        {
            input = new float[length];
        }

        for (int i = 0; i < frames.Count; i++)
        {
            frames[i].Tensor.CopyTo(input.AsSpan(i * imageLength, imageLength));
        }

        long started = Stopwatch.GetTimestamp();
        ModelOutput output = first.Model.Run(input, frames.Count, first.Height, first.Width);
        double inferenceMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new InferredBatch(frames, output, inferenceMs, started);
    }

    /// <summary>
    /// Whether a frame can share an inference call with a batch that starts with <paramref name="first"/>. A tiled
    /// frame runs alone, because its tiles already fill the calls.
    /// </summary>
    public static bool CanBatch(DecodedFrame first, DecodedFrame next)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(next);
        return !first.Tiled && !next.Tiled &&
            ReferenceEquals(first.Model, next.Model) && first.Width == next.Width && first.Height == next.Height;
    }

    private InferredBatch RunTiled(DecodedFrame frame, IReadOnlyList<DecodedFrame> frames)
    {
        long started = Stopwatch.GetTimestamp();
        ModelOutput output = TiledInference.Run(frame.Model, frame.Tensor, frame.Height, frame.Width, maxTilesPerCall);
        double inferenceMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        TileLayout layout = frame.Model.Tiling.Plan(frame.Height, frame.Width);
        InferenceLog.TiledFrameInferred(
            logger,
            frame.Width,
            frame.Height,
            layout.Count,
            layout.TileWidth,
            layout.TileHeight,
            frame.Model.Manifest.Id,
            inferenceMs);
        return new InferredBatch(frames, output, inferenceMs, started);
    }
}
