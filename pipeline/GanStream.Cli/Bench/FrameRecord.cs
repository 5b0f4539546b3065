namespace GanStream.Cli.Bench;

/// <summary>One synthesized frame as the edge's frame log recorded it; times in milliseconds.</summary>
internal sealed record FrameRecord(
    string Camera,
    ulong Sequence,
    DateTimeOffset CompletedAt,
    double LatencyMs,
    double InferenceMs,
    int BatchSize,
    double QueueMs,
    double DecodeMs,
    double BatchWaitMs,
    double EncodeMs,
    long ResultBytes,
    string Model,
    string ExecutionProvider,
    string? Image)
{
    /// <summary>Moment of capture on the edge's clock, from the completion time less the latency.</summary>
    public DateTimeOffset CapturedAt => CompletedAt - TimeSpan.FromMilliseconds(LatencyMs);

    /// <summary>Latency less the inference time of the frame's batch: what the pipeline adds around the model.</summary>
    public double OverheadMs => LatencyMs - InferenceMs;
}
