using Microsoft.Extensions.Logging;

namespace GanStream.Edge;

/// <summary>Log messages of the edge ingest service; event ids 1000-1099.</summary>
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
        Message = "Camera {CameraId} frame {Sequence} was dropped: {Reason}")]
    public static partial void FrameDropped(ILogger logger, string cameraId, ulong sequence, string reason);

    [LoggerMessage(
        EventId = 1004,
        Level = LogLevel.Error,
        Message = "Camera {CameraId} frame {Sequence} could not be published to {Topic}: {Error}")]
    public static partial void PublishFailed(ILogger logger, string cameraId, ulong sequence, string topic, string error);

    [LoggerMessage(
        EventId = 1005,
        Level = LogLevel.Warning,
        Message = "Camera {CameraId} frame {Sequence} was rejected by worker {WorkerId}: {Reason}")]
    public static partial void FrameRejected(ILogger logger, string cameraId, ulong sequence, string workerId, string reason);

    [LoggerMessage(
        EventId = 1006,
        Level = LogLevel.Warning,
        Message = "Camera {CameraId} frame {Sequence} expired: no result within {TimeoutSeconds} s")]
    public static partial void FrameExpired(ILogger logger, string cameraId, ulong sequence, double timeoutSeconds);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Result on {Topic} partition {Partition} offset {Offset} was ignored: {Reason}")]
    public static partial void ResultIgnored(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Listening for results on {Topic} ({Partitions} partitions)")]
    public static partial void ListeningForResults(ILogger logger, string topic, int partitions);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Error, Message = "Kafka client error on the edge: {Reason} (fatal: {IsFatal})")]
    public static partial void KafkaError(ILogger logger, string reason, bool isFatal);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "Output for camera {CameraId} could not be written to {Path}: {Reason}")]
    public static partial void OutputFailed(ILogger logger, string cameraId, string path, string reason);

    [LoggerMessage(
        EventId = 1011,
        Level = LogLevel.Information,
        Message = "Edge input is complete; waiting up to {TimeoutSeconds} s for {InFlight} results")]
    public static partial void WaitingForResults(ILogger logger, double timeoutSeconds, int inFlight);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Critical, Message = "Edge {EdgeId} failed: {Reason}")]
    public static partial void EdgeFailed(ILogger logger, string edgeId, string reason);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Camera {CameraId} failed: {Reason}")]
    public static partial void CameraFailed(ILogger logger, string cameraId, string reason);
}
