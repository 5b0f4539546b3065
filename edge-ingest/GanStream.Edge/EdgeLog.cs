using Microsoft.Extensions.Logging;

namespace GanStream.Edge;

/// <summary>
/// Log messages of the edge ingest service; event ids 1000-1099, and 1100-1199 for capture and reconnection.
/// Messages that can repeat at frame rate carry the number of similar lines held back by a rate limit.
/// </summary>
internal static partial class EdgeLog
{
    [LoggerMessage(
        EventId = 1000,
        Level = LogLevel.Information,
        Message = "Camera {CameraId} opened {Source} ({Width}x{Height}, {Fps} frames/s, backend {Backend})")]
    public static partial void CameraOpened(ILogger logger, string cameraId, string source, int width, int height, string fps, string backend);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Camera {CameraId} reached the end of {Source} after {Frames} frames")]
    public static partial void CameraEnded(ILogger logger, string cameraId, string source, long frames);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Camera {CameraId} could not be opened: {Reason}")]
    public static partial void CameraOpenFailed(ILogger logger, string cameraId, string reason);

    [LoggerMessage(
        EventId = 1003,
        Level = LogLevel.Warning,
        Message = "Camera {CameraId} frame {Sequence} was dropped ({Reason}): {Detail}; {Suppressed} similar drops " +
            "were not logged")]
    public static partial void FrameDropped(
        ILogger logger,
        string cameraId,
        ulong sequence,
        string reason,
        string detail,
        long suppressed);

    [LoggerMessage(
        EventId = 1004,
        Level = LogLevel.Error,
        Message = "Camera {CameraId} frame {Sequence} could not be published to {Topic}: {Error}; {Suppressed} " +
            "similar failures were not logged")]
    public static partial void PublishFailed(
        ILogger logger,
        string cameraId,
        ulong sequence,
        string topic,
        string error,
        long suppressed);

    [LoggerMessage(
        EventId = 1005,
        Level = LogLevel.Warning,
        Message = "Camera {CameraId} frame {Sequence} was rejected by worker {WorkerId}: {Reason}; {Suppressed} " +
            "similar rejections were not logged")]
    public static partial void FrameRejected(
        ILogger logger,
        string cameraId,
        ulong sequence,
        string workerId,
        string reason,
        long suppressed);

    [LoggerMessage(
        EventId = 1006,
        Level = LogLevel.Warning,
        Message = "Camera {CameraId} frame {Sequence} expired: no result within {TimeoutSeconds} s; {Suppressed} " +
            "similar expiries were not logged")]
    public static partial void FrameExpired(
        ILogger logger,
        string cameraId,
        ulong sequence,
        double timeoutSeconds,
        long suppressed);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Result on {Topic} partition {Partition} offset {Offset} was ignored: {Reason}")]
    public static partial void ResultIgnored(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Listening for results on {Topic} ({Partitions} partitions)")]
    public static partial void ListeningForResults(ILogger logger, string topic, int partitions);

    [LoggerMessage(
        EventId = 1009,
        Level = LogLevel.Error,
        Message = "Kafka client error on the edge: {Reason} (fatal: {IsFatal}); {Suppressed} similar errors were " +
            "not logged")]
    public static partial void KafkaError(ILogger logger, string reason, bool isFatal, long suppressed);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "Output for camera {CameraId} could not be written to {Path}: {Reason}")]
    public static partial void OutputFailed(ILogger logger, string cameraId, string path, string reason);

    [LoggerMessage(
        EventId = 1011,
        Level = LogLevel.Information,
        Message = "Edge input is complete; waiting up to {TimeoutSeconds} s for {InFlight} results")]
    public static partial void WaitingForResults(ILogger logger, double timeoutSeconds, int inFlight);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Camera {CameraId} failed: {Reason}")]
    public static partial void CameraFailed(ILogger logger, string cameraId, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Critical, Message = "Edge {EdgeId} failed: {Reason}")]
    public static partial void EdgeFailed(ILogger logger, string edgeId, string reason);

    [LoggerMessage(
        EventId = 1014,
        Level = LogLevel.Information,
        Message = "Camera {CameraId} frame {Sequence} arrived as {Format} and was converted to 8-bit BGR; " +
            "{Suppressed} similar conversions were not logged")]
    public static partial void FrameNormalized(
        ILogger logger,
        string cameraId,
        ulong sequence,
        string format,
        long suppressed);

    [LoggerMessage(
        EventId = 1015,
        Level = LogLevel.Information,
        Message = "Shutdown step 1: capture stopped on {Cameras} cameras; frames still queued were dropped as " +
            "shutdown")]
    public static partial void ShutdownCaptureStopped(ILogger logger, int cameras);

    [LoggerMessage(
        EventId = 1016,
        Level = LogLevel.Information,
        Message = "Shutdown step 2: producer flushed in {ElapsedMs:F0} ms; {Unflushed} messages not acknowledged by " +
            "the broker")]
    public static partial void ShutdownFlushed(ILogger logger, double elapsedMs, int unflushed);

    [LoggerMessage(
        EventId = 1017,
        Level = LogLevel.Information,
        Message = "Shutdown step 3: waited {ElapsedMs:F0} ms for results; {InFlight} frames still in flight, " +
            "{Unacknowledged} of them never acknowledged by the broker")]
    public static partial void ShutdownResultsDrained(
        ILogger logger,
        double elapsedMs,
        int inFlight,
        long unacknowledged);

    [LoggerMessage(
        EventId = 1018,
        Level = LogLevel.Error,
        Message = "Camera {CameraId} frame {Sequence} could not be processed and was dropped: {Error}")]
    public static partial void ProcessingFailed(ILogger logger, string cameraId, ulong sequence, string error);

    [LoggerMessage(
        EventId = 1100,
        Level = LogLevel.Warning,
        Message = "Camera {CameraId} lost its source {Source} after frame {Sequence} ({Kind}): {Detail}")]
    public static partial void SourceLost(
        ILogger logger,
        string cameraId,
        string source,
        long sequence,
        string kind,
        string detail);

    [LoggerMessage(
        EventId = 1101,
        Level = LogLevel.Information,
        Message = "Camera {CameraId} reopens its source in {DelaySeconds:F1} s (attempt {Attempt})")]
    public static partial void Reconnecting(ILogger logger, string cameraId, double delaySeconds, int attempt);

    [LoggerMessage(
        EventId = 1102,
        Level = LogLevel.Information,
        Message = "Camera {CameraId} reopened {Source} on attempt {Attempt} ({Width}x{Height}, backend {Backend})")]
    public static partial void Reconnected(
        ILogger logger,
        string cameraId,
        string source,
        int attempt,
        int width,
        int height,
        string backend);

    [LoggerMessage(
        EventId = 1103,
        Level = LogLevel.Warning,
        Message = "Camera {CameraId} could not reopen its source (attempt {Attempt}): {Reason}")]
    public static partial void ReconnectFailed(ILogger logger, string cameraId, int attempt, string reason);

    [LoggerMessage(
        EventId = 1104,
        Level = LogLevel.Error,
        Message = "Camera {CameraId} gave up after {Attempts} failed attempts to reopen {Source} " +
            "(Edge:Capture:MaxReconnectAttempts)")]
    public static partial void ReconnectAbandoned(ILogger logger, string cameraId, int attempts, string source);

    [LoggerMessage(
        EventId = 1105,
        Level = LogLevel.Warning,
        Message = "Camera {CameraId}: {Operation} of {Source} did not return within {TimeoutSeconds:F0} s " +
            "(Edge:Capture:ReadStallTimeout); the source is abandoned")]
    public static partial void SourceStalled(
        ILogger logger,
        string cameraId,
        string operation,
        string source,
        double timeoutSeconds);

    [LoggerMessage(
        EventId = 1106,
        Level = LogLevel.Warning,
        Message = "Camera {CameraId}: {Source} ended after frame {Sequence}, having delivered {Read} of the " +
            "{Declared} frames its header declares; the file is truncated or damaged")]
    public static partial void SourceTruncated(
        ILogger logger,
        string cameraId,
        string source,
        long sequence,
        long read,
        long declared);

    [LoggerMessage(
        EventId = 1107,
        Level = LogLevel.Debug,
        Message = "Camera {CameraId} reached the end of {Source} and reads it again from the start")]
    public static partial void SourceLooped(ILogger logger, string cameraId, string source);

    [LoggerMessage(
        EventId = 1108,
        Level = LogLevel.Error,
        Message = "Camera {CameraId} could not read {Source} after frame {Sequence}: {Detail}")]
    public static partial void SourceReadFailed(
        ILogger logger,
        string cameraId,
        string source,
        long sequence,
        string detail);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Information, Message = "Deployment mode {Mode}; {Link}")]
    public static partial void ModeSelected(ILogger logger, string mode, string link);

    [LoggerMessage(
        EventId = 1110,
        Level = LogLevel.Warning,
        Message = "Edge-only mode has no link between edge and cloud, so the setting '{Link}' has no effect")]
    public static partial void LinkIgnoredInEdgeOnly(ILogger logger, string link);
}
