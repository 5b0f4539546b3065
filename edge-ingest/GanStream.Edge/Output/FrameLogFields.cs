namespace GanStream.Edge.Output;

/// <summary>
/// Property names of the frame log's JSON records. A record with <see cref="Record"/> <c>frame</c> describes one
/// synthesized frame; one with <c>camera</c> contains a camera's totals and is written when the edge stops.
/// </summary>
public static class FrameLogFields
{
    public const string Record = "record";
    public const string FrameRecord = "frame";
    public const string CameraRecord = "camera";

    public const string Camera = "camera";
    public const string Sequence = "sequence";
    public const string CorrelationId = "correlationId";

    /// <summary>Edge clock (UTC) when the frame was read from its source, from the result's capture time.</summary>
    public const string CapturedAt = "capturedAt";

    /// <summary>Edge clock (UTC) when the edge matched the result to its frame.</summary>
    public const string CompletedAt = "completedAt";

    /// <summary>From the frame's capture to the moment its result was matched, in milliseconds (monotonic clock).</summary>
    public const string LatencyMs = "latencyMs";

    /// <summary>Duration of the inference call of the frame's batch, in milliseconds.</summary>
    public const string InferenceMs = "inferenceMs";

    public const string BatchSize = "batchSize";
    public const string QueueMs = "queueMs";
    public const string DecodeMs = "decodeMs";
    public const string BatchWaitMs = "batchWaitMs";
    public const string EncodeMs = "encodeMs";

    /// <summary>Size of the synthesized image as received, in bytes.</summary>
    public const string ResultBytes = "resultBytes";

    public const string Width = "width";
    public const string Height = "height";
    public const string Model = "model";
    public const string ModelVersion = "modelVersion";
    public const string ExecutionProvider = "executionProvider";
    public const string Worker = "worker";

    /// <summary>Path of the saved image relative to the image folder, when images are saved.</summary>
    public const string Image = "image";

    // Camera totals, from the edge's account of the camera when it stopped.
    public const string FramesRead = "framesRead";
    public const string FramesFiltered = "framesFiltered";
    public const string FramesDropped = "framesDropped";
    public const string FramesSent = "framesSent";

    /// <summary>Payload bytes of the features the camera sent (the compressed images, without the message envelope).</summary>
    public const string FeatureBytesSent = "featureBytesSent";

    public const string FramesSynthesized = "framesSynthesized";
    public const string FramesRejected = "framesRejected";
    public const string FramesExpired = "framesExpired";

    /// <summary>Frame records that were not written because the log fell behind by its capacity.</summary>
    public const string RecordsDropped = "recordsDropped";
}
