using Microsoft.Extensions.Logging;

namespace GanStream.Cloud;

/// <summary>
/// Log messages of the synthesis worker; event ids 3000-3099, and 3200-3299 for rebalancing, commits and the
/// shutdown sequence. Messages that can repeat per request carry the number of similar lines held back.
/// </summary>
internal static partial class CloudLog
{
    [LoggerMessage(
        EventId = 3000,
        Level = LogLevel.Information,
        Message = "Worker {WorkerId} joined group {GroupId} on {Topic}; default model {ModelId} on {ExecutionProvider}")]
    public static partial void WorkerStarted(ILogger logger, string workerId, string groupId, string topic, string modelId, string executionProvider);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Partitions assigned: {Partitions}")]
    public static partial void PartitionsAssigned(ILogger logger, string partitions);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Partitions revoked: {Partitions}")]
    public static partial void PartitionsRevoked(ILogger logger, string partitions);

    [LoggerMessage(
        EventId = 3003,
        Level = LogLevel.Warning,
        Message = "Request from camera {CameraId} frame {Sequence} at {Topic} [{Partition}] @{Offset} sent to the " +
            "dead-letter topic: {Reason}: {Detail}; {Suppressed} similar rejections were not logged")]
    public static partial void RequestRejected(
        ILogger logger,
        string cameraId,
        ulong sequence,
        string topic,
        int partition,
        long offset,
        string reason,
        string detail,
        long suppressed);

    [LoggerMessage(
        EventId = 3004,
        Level = LogLevel.Error,
        Message = "Reply to {Topic} for correlation id {CorrelationId} failed: {Error}; {Suppressed} similar " +
            "failures were not logged")]
    public static partial void ReplyFailed(
        ILogger logger,
        string topic,
        string correlationId,
        string error,
        long suppressed);

    [LoggerMessage(
        EventId = 3005,
        Level = LogLevel.Error,
        Message = "Kafka client error in the worker: {Reason} (fatal: {IsFatal}); {Suppressed} similar errors were " +
            "not logged")]
    public static partial void KafkaError(ILogger logger, string reason, bool isFatal, long suppressed);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "Inference of {BatchSize} frames of {Width}x{Height} on {ModelId} took {ElapsedMs:F1} ms")]
    public static partial void BatchInferred(ILogger logger, int batchSize, int width, int height, string modelId, double elapsedMs);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Commit of offsets failed: {Reason}")]
    public static partial void CommitFailed(ILogger logger, string reason);

    [LoggerMessage(
        EventId = 3008,
        Level = LogLevel.Information,
        Message = "Worker {WorkerId} stopped: {Pending} messages unfinished, {Unflushed} replies not acknowledged")]
    public static partial void WorkerStopped(ILogger logger, string workerId, int pending, int unflushed);

    [LoggerMessage(
        EventId = 3009,
        Level = LogLevel.Warning,
        Message = "Partitions paused: the worker's queues are full; {Suppressed} later pauses were not logged")]
    public static partial void PartitionsPaused(ILogger logger, long suppressed);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Inference of {BatchSize} frames on {ModelId} failed: {Error}")]
    public static partial void InferenceFailed(ILogger logger, int batchSize, string modelId, string error);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Critical, Message = "Worker {WorkerId} failed: {Error}")]
    public static partial void WorkerFailed(ILogger logger, string workerId, string error);

    [LoggerMessage(
        EventId = 3200,
        Level = LogLevel.Warning,
        Message = "Partitions lost without a revocation: {Partitions}; the new owners read their unfinished " +
            "messages again")]
    public static partial void PartitionsLost(ILogger logger, string partitions);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Committed offsets {Offsets} ({Occasion})")]
    public static partial void OffsetsCommitted(ILogger logger, string offsets, string occasion);

    [LoggerMessage(
        EventId = 3202,
        Level = LogLevel.Information,
        Message = "Shutdown step 1: polling stopped; {InProgress} messages in progress, {Held} read but not started " +
            "are left to the next owner")]
    public static partial void ShutdownPollingStopped(ILogger logger, int inProgress, int held);

    [LoggerMessage(
        EventId = 3203,
        Level = LogLevel.Information,
        Message = "Shutdown step 2: decode, inference and encode drained in {ElapsedMs:F0} ms; {Abandoned} items " +
            "not finished within Cloud:DrainTimeout")]
    public static partial void ShutdownStagesDrained(ILogger logger, double elapsedMs, int abandoned);

    [LoggerMessage(
        EventId = 3204,
        Level = LogLevel.Information,
        Message = "Shutdown step 3: producer flushed in {ElapsedMs:F0} ms; {Unflushed} replies not acknowledged")]
    public static partial void ShutdownFlushed(ILogger logger, double elapsedMs, int unflushed);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Information, Message = "Shutdown step 4: offsets committed")]
    public static partial void ShutdownCommitted(ILogger logger);

    [LoggerMessage(
        EventId = 3206,
        Level = LogLevel.Information,
        Message = "Shutdown step 5: consumer closed and left group {GroupId}")]
    public static partial void ShutdownClosed(ILogger logger, string groupId);
}
