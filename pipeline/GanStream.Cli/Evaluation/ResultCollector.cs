using System.Collections.Concurrent;
using GanStream.Edge.Publishing;
using GanStream.Edge.Replies;
using GanStream.Schemas;

namespace GanStream.Cli.Evaluation;

/// <summary>
/// Keeps the compressed image of every result the edge matched to a frame it sent. The edge matches results to
/// frames by correlation id; the frame's sequence number is its position in the clip the edge reads.
/// </summary>
internal sealed class ResultCollector : IResultObserver
{
    private readonly ConcurrentDictionary<ulong, (byte[] Payload, ImageEncoding Encoding)> results = new();
    private readonly ProgressDisplay? progress;

    public ResultCollector(ProgressDisplay? progress)
    {
        this.progress = progress;
    }

    public int Count => results.Count;

    /// <summary>Execution provider the worker named in the latest result, or null before the first.</summary>
    public string? ExecutionProvider { get; private set; }

    public void OnResult(PendingFrame frame, SynthesisResult result, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);
        results[frame.Sequence] = (result.Payload.ToByteArray(), result.Encoding);
        ExecutionProvider = result.ExecutionProvider;
        progress?.Report(results.Count);
    }

    /// <summary>Returns the result of the frame at <paramref name="sequence"/> in the clip, if one arrived.</summary>
    public bool TryGet(ulong sequence, out (byte[] Payload, ImageEncoding Encoding) result) =>
        results.TryGetValue(sequence, out result);
}
