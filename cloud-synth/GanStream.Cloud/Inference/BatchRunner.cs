using System.Diagnostics;
using GanStream.Cloud.Decoding;
using GanStream.Pipeline.Models;

namespace GanStream.Cloud.Inference;

/// <summary>Copies the frames of a batch into one input tensor and runs the model once. Used by one thread.</summary>
public sealed class BatchRunner
{
    private float[] input = [];

    /// <summary>Runs a batch whose frames share a model and a size.</summary>
    /// <exception cref="Microsoft.ML.OnnxRuntime.OnnxRuntimeException">The model failed on this input.</exception>
    public InferredBatch Run(IReadOnlyList<DecodedFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfZero(frames.Count);

        DecodedFrame first = frames[0];
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

    /// <summary>Whether a frame can share an inference call with a batch that starts with <paramref name="first"/>.</summary>
    public static bool CanBatch(DecodedFrame first, DecodedFrame next)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(next);
        return ReferenceEquals(first.Model, next.Model) && first.Width == next.Width && first.Height == next.Height;
    }
}
