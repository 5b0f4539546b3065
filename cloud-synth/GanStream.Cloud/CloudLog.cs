using Microsoft.Extensions.Logging;

namespace GanStream.Cloud;

/// <summary>Log messages of the synthesis worker; event ids 3000-3099.</summary>
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
        Message = "Request from camera {CameraId} frame {Sequence} at {Topic} [{Partition}] @{Offset} sent to the dead-letter topic: {Reason}: {Detail}")]
    public static partial void RequestRejected(
        ILogger logger,
        string cameraId,
        ulong sequence,
        string topic,
        int partition,
        long offset,
        string reason,
        string detail);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Reply to {Topic} for correlation id {CorrelationId} failed: {Error}")]
    public static partial void ReplyFailed(ILogger logger, string topic, string correlationId, string error);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Kafka client error in the worker: {Reason} (fatal: {IsFatal})")]
    public static partial void KafkaError(ILogger logger, string reason, bool isFatal);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "Inference of {BatchSize} frames of {Width}x{Height} on {ModelId} took {ElapsedMs:F1} ms")]
    public static partial void BatchInferred(ILogger logger, int batchSize, int width, int height, string modelId, double elapsedMs);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Commit of offsets failed: {Reason}")]
    public static partial void CommitFailed(ILogger logger, string reason);

    [LoggerMessage(
        EventId = 3008,
        Level = LogLevel.Information,
        Message = "Worker {WorkerId} stopped: {Pending} messages unfinished, {Unflushed} replies not acknowledged")]
    public static partial void WorkerStopped(ILogger logger, string workerId, int pending, int unflushed);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Partitions paused: the worker's queues are full")]
    public static partial void PartitionsPaused(ILogger logger);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Inference of {BatchSize} frames on {ModelId} failed: {Error}")]
    public static partial void InferenceFailed(ILogger logger, int batchSize, string modelId, string error);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Critical, Message = "Worker {WorkerId} failed: {Error}")]
    public static partial void WorkerFailed(ILogger logger, string workerId, string error);
}
