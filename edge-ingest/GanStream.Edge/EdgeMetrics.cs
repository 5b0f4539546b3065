using Prometheus;

namespace GanStream.Edge;

/// <summary>
/// Prometheus metrics of the edge ingest service. Every per-camera series carries the label <c>camera</c>, and
/// <see cref="RemoveCamera"/> deletes them all when a camera is removed.
/// </summary>
internal static class EdgeMetrics
{
    private static readonly string[] CameraLabel = ["camera"];

    // Stage durations on one core of an edge box: a frame read or filter takes 1 to 50 ms, an encode 2 to 100 ms.
    private static readonly double[] StageBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    // A broker acknowledgement takes a few milliseconds on a LAN and up to seconds when the broker is overloaded.
    private static readonly double[] AckBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

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

    public static readonly Histogram CaptureDuration = Metrics.CreateHistogram(
        "ganstream_edge_capture_duration_seconds",
        "Time to read and decode one frame from the camera source.",
        new HistogramConfiguration { LabelNames = CameraLabel, Buckets = StageBuckets });

    public static readonly Histogram FilterDuration = Metrics.CreateHistogram(
        "ganstream_edge_filter_duration_seconds",
        "Time to run the frame filters (rate, duplicate, blur) on one frame.",
        new HistogramConfiguration { LabelNames = CameraLabel, Buckets = StageBuckets });

    public static readonly Histogram EncodeDuration = Metrics.CreateHistogram(
        "ganstream_edge_encode_duration_seconds",
        "Time to downscale and compress one frame into its feature payload.",
        new HistogramConfiguration { LabelNames = CameraLabel, Buckets = StageBuckets });

    public static readonly Histogram PublishDuration = Metrics.CreateHistogram(
        "ganstream_edge_publish_duration_seconds",
        "Time from handing a feature message to the producer to the broker's acknowledgement.",
        new HistogramConfiguration { LabelNames = CameraLabel, Buckets = AckBuckets });

    public static readonly Gauge CameraSourceOpen = Metrics.CreateGauge(
        "ganstream_edge_camera_source_open",
        "1 while the camera's source is open and read, else 0.",
        CameraLabel);

    /// <summary>Every metric with a <c>camera</c> label; the label is always the first one.</summary>
    private static readonly Collector[] PerCamera =
    [
        FramesCaptured, FramesFiltered, FramesDropped, FramesPublished, PublishedBytes, FeatureSize, Results,
        FramesExpired, FramesInFlight, EndToEndLatency, CaptureDuration, FilterDuration, EncodeDuration,
        PublishDuration, CameraReconnects, CameraSourceOpen, SourceErrors, FramesNormalized,
    ];

    /// <summary>Names of the per-camera metrics, for tests and documentation checks.</summary>
    public static IReadOnlyList<string> PerCameraNames => PerCamera.Select(c => c.Name).ToArray();

    /// <summary>
    /// Creates the series of a new camera at zero, so that <c>rate()</c> and <c>increase()</c> see its first event
    /// and dashboards list the camera before anything happened.
    /// </summary>
    public static void InitializeCamera(string cameraId)
    {
        FramesCaptured.WithLabels(cameraId);
        FramesPublished.WithLabels(cameraId);
        PublishedBytes.WithLabels(cameraId);
        FramesExpired.WithLabels(cameraId);
        FramesInFlight.WithLabels(cameraId);
        CameraReconnects.WithLabels(cameraId);
        CameraSourceOpen.WithLabels(cameraId);
        Results.WithLabels(cameraId, "synthesized");
        Results.WithLabels(cameraId, "rejected");
    }

    /// <summary>Removes every series of a camera, whatever its other labels.</summary>
    public static void RemoveCamera(string cameraId)
    {
        ArgumentNullException.ThrowIfNull(cameraId);
        foreach (Collector collector in PerCamera)
        {
            switch (collector)
            {
                case Counter counter:
                    RemoveMatching(counter, cameraId);
                    break;
                case Gauge gauge:
                    RemoveMatching(gauge, cameraId);
                    break;
                case Histogram histogram:
                    RemoveMatching(histogram, cameraId);
                    break;
            }
        }
    }

    private static void RemoveMatching<TChild>(Collector<TChild> collector, string cameraId)
        where TChild : ChildBase
    {
        foreach (string[] labels in collector.GetAllLabelValues().ToList())
        {
            if (labels.Length > 0 && string.Equals(labels[0], cameraId, StringComparison.Ordinal))
            {
                collector.RemoveLabelled(labels);
            }
        }
    }
}
