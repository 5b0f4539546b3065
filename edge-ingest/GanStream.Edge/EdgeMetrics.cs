using Prometheus;

namespace GanStream.Edge;

/// <summary>Prometheus metrics of the edge ingest service.</summary>
internal static class EdgeMetrics
{
    private static readonly string[] CameraLabel = ["camera"];

    public static readonly Counter FramesCaptured = Metrics.CreateCounter(
        "ganstream_edge_frames_captured_total",
        "Frames read from camera sources.",
        CameraLabel);

    public static readonly Counter FramesFiltered = Metrics.CreateCounter(
        "ganstream_edge_frames_filtered_total",
        "Frames dropped by a filter, by filter name.",
        "camera",
        "filter");

    public static readonly Counter FramesDropped = Metrics.CreateCounter(
        "ganstream_edge_frames_dropped_total",
        "Frames dropped at the edge for a reason other than a filter (queue full, in-flight limit, publish failure).",
        "camera",
        "reason");

    public static readonly Counter FramesPublished = Metrics.CreateCounter(
        "ganstream_edge_frames_published_total",
        "Feature messages acknowledged by the broker.",
        CameraLabel);

    public static readonly Counter PublishedBytes = Metrics.CreateCounter(
        "ganstream_edge_published_bytes_total",
        "Payload bytes of feature messages acknowledged by the broker.",
        CameraLabel);

    public static readonly Histogram FeatureSize = Metrics.CreateHistogram(
        "ganstream_edge_feature_size_bytes",
        "Payload size of one feature message.",
        new HistogramConfiguration
        {
            LabelNames = CameraLabel,
            Buckets = Histogram.ExponentialBuckets(1024, 2, 13),
        });

    public static readonly Counter Results = Metrics.CreateCounter(
        "ganstream_edge_results_total",
        "Results read from the reply topic, by outcome: synthesized, rejected, duplicate or unmatched.",
        "camera",
        "outcome");

    public static readonly Counter FramesExpired = Metrics.CreateCounter(
        "ganstream_edge_frames_expired_total",
        "Frames sent whose result did not arrive within the result timeout.",
        CameraLabel);

    public static readonly Gauge FramesInFlight = Metrics.CreateGauge(
        "ganstream_edge_frames_in_flight",
        "Frames sent and waiting for their result.",
        CameraLabel);

    public static readonly Counter CameraReconnects = Metrics.CreateCounter(
        "ganstream_edge_camera_reconnects_total",
        "Times a camera source was opened again after it was lost or its read stalled.",
        CameraLabel);

    public static readonly Counter SourceErrors = Metrics.CreateCounter(
        "ganstream_edge_source_errors_total",
        "Problems with a camera source, by kind: open-failed, lost, stalled, truncated or read-failed.",
        "camera",
        "kind");

    public static readonly Counter FramesNormalized = Metrics.CreateCounter(
        "ganstream_edge_frames_normalized_total",
        "Frames converted to 8-bit BGR before filtering, by the format they arrived in.",
        "camera",
        "format");

    public static readonly Histogram EndToEndLatency = Metrics.CreateHistogram(
        "ganstream_edge_end_to_end_latency_seconds",
        "Time from reading a frame at the edge to receiving its synthesized image at the edge.",
        new HistogramConfiguration
        {
            LabelNames = CameraLabel,
            Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30],
        });
}
