using GanStream.Cloud.Decoding;
using GanStream.Pipeline.Models;

namespace GanStream.Cloud.Inference;

/// <summary>
/// The frames of one inference call and its output. The batch owns both: disposing it returns the frames' buffers
/// and frees the output tensor.
/// </summary>
public sealed class InferredBatch : IDisposable
{
    public InferredBatch(IReadOnlyList<DecodedFrame> frames, ModelOutput output, double inferenceMs, long startTimestamp)
    {
        Frames = frames;
        Output = output;
        InferenceMs = inferenceMs;
        StartTimestamp = startTimestamp;
    }

    public IReadOnlyList<DecodedFrame> Frames { get; }

    public ModelOutput Output { get; }

    public double InferenceMs { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp when the inference call started.</summary>
    public long StartTimestamp { get; }

    public void Dispose()
    {
        Output.Dispose();
        foreach (DecodedFrame frame in Frames)
        {
            frame.Dispose();
        }
    }
}
