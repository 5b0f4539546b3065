using Prometheus;

namespace GanStream.Cloud;

/// <summary>Prometheus metrics of the synthesis worker.</summary>
internal static class CloudMetrics
{
    public static readonly Counter MessagesConsumed = Metrics.CreateCounter(
        "ganstream_cloud_messages_consumed_total",
        "Feature messages read from Kafka.");

    public static readonly Counter DeadLetters = Metrics.CreateCounter(
        "ganstream_cloud_dead_letters_total",
        "Requests sent to the dead-letter topic, by reason.",
        "reason");

    public static readonly Counter FramesFiltered = Metrics.CreateCounter(
        "ganstream_cloud_frames_filtered_total",
        "Whole frames (cloud-only mode) dropped by the worker's filters, by filter: rate, duplicate or blur.",
        "filter");

    public static readonly Counter ResultsProduced = Metrics.CreateCounter(
        "ganstream_cloud_results_total",
        "Synthesized images acknowledged by the broker on a reply topic.",
        "model");

    public static readonly Counter ReplyFailures = Metrics.CreateCounter(
        "ganstream_cloud_reply_failures_total",
        "Results or dead letters the broker did not acknowledge; their offsets are not stored.");

    public static readonly Histogram BatchSize = Metrics.CreateHistogram(
        "ganstream_cloud_batch_size",
        "Frames per inference call.",
        new HistogramConfiguration { LabelNames = ["model"], Buckets = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64] });

    public static readonly Histogram BatchWait = Metrics.CreateHistogram(
        "ganstream_cloud_batch_wait_seconds",
        "Time from a frame being decoded to the start of its inference call.",
        new HistogramConfiguration { Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    public static readonly Histogram InferenceDuration = Metrics.CreateHistogram(
        "ganstream_cloud_inference_duration_seconds",
        "Duration of one inference call, by model and ONNX Runtime execution provider.",
        new HistogramConfiguration
        {
            LabelNames = ["model", "provider"],
            Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2.5, 5, 10],
        });

    public static readonly Histogram DecodeDuration = Metrics.CreateHistogram(
        "ganstream_cloud_decode_duration_seconds",
        "Time to parse a message and decode its features into a tensor.",
        new HistogramConfiguration { Buckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1] });

    public static readonly Histogram EncodeDuration = Metrics.CreateHistogram(
        "ganstream_cloud_encode_duration_seconds",
        "Time to turn one output tensor into a compressed image.",
        new HistogramConfiguration { Buckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1] });

    public static readonly Gauge PartitionsPaused = Metrics.CreateGauge(
        "ganstream_cloud_partitions_paused",
        "1 while the worker has paused its partitions because its queues are full, else 0.");

    public static readonly Gauge ConsumerLag = Metrics.CreateGauge(
        "ganstream_cloud_consumer_lag_messages",
        "Messages of an assigned partition after the last offset stored for commit, from librdkafka statistics.",
        "topic",
        "partition");

    public static readonly Histogram QueueDuration = Metrics.CreateHistogram(
        "ganstream_cloud_queue_duration_seconds",
        "Time from the Kafka timestamp of a request to the moment a worker read it; includes clock skew.",
        new HistogramConfiguration
        {
            Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        });

    public static readonly Histogram ReplyDuration = Metrics.CreateHistogram(
        "ganstream_cloud_reply_duration_seconds",
        "Time from handing a result or dead letter to the producer to the broker's acknowledgement, by kind.",
        new HistogramConfiguration
        {
            LabelNames = ["kind"],
            Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        });

    public static readonly Histogram ProcessingDuration = Metrics.CreateHistogram(
        "ganstream_cloud_processing_duration_seconds",
        "Time from reading a request to the broker's acknowledgement of its result, by model.",
        new HistogramConfiguration
        {
            LabelNames = ["model"],
            Buckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30],
        });

    public static readonly Gauge ModelInfo = Metrics.CreateGauge(
        "ganstream_cloud_model_info",
        "1 for the default model a worker loaded, with its version and ONNX Runtime execution provider.",
        "model",
        "version",
        "provider");

    /// <summary>Value of the <c>kind</c> label of <see cref="ReplyDuration"/> for a synthesized result.</summary>
    public const string ResultKind = "result";

    /// <summary>Value of the <c>kind</c> label of <see cref="ReplyDuration"/> for a dead letter.</summary>
    public const string DeadLetterKind = "dead-letter";

    /// <summary>
    /// Creates the dead-letter series of every rejection reason at zero, so that <c>rate()</c> sees the first dead
    /// letter of a reason and alerts can fire on it.
    /// </summary>
    public static void InitializeDeadLetters()
    {
        IEnumerable<string> reasons = typeof(Decoding.RejectionReason)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!);
        foreach (string reason in reasons)
        {
            DeadLetters.WithLabels(reason);
        }
    }
}
