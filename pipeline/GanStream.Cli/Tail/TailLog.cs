using Microsoft.Extensions.Logging;

namespace GanStream.Cli.Tail;

/// <summary>Log messages of <c>ganstream tail</c>; event ids 5030-5049.</summary>
internal static partial class TailLog
{
    private static readonly Func<ILogger, string, IDisposable?> TailScope =
        LoggerMessage.DefineScope<string>("Tail of {Topic}");

    /// <summary>Starts the scope that tags every message of one run with the topic read.</summary>
    public static IDisposable? BeginTail(ILogger logger, string topic) => TailScope(logger, topic);

    [LoggerMessage(
        EventId = 5030,
        Level = LogLevel.Information,
        Message = "Reading {Topic} ({Partitions} partitions) from its {Start}")]
    public static partial void Started(ILogger logger, string topic, int partitions, string start);

    [LoggerMessage(
        EventId = 5031,
        Level = LogLevel.Warning,
        Message = "Message at partition {Partition} offset {Offset} is not a SynthesisResult: {Reason}")]
    public static partial void ResultUnreadable(ILogger logger, int partition, long offset, string reason);

    [LoggerMessage(EventId = 5032, Level = LogLevel.Error, Message = "Image could not be saved to {Path}: {Reason}")]
    public static partial void ImageNotSaved(ILogger logger, string path, string reason);

    [LoggerMessage(
        EventId = 5033,
        Level = LogLevel.Warning,
        Message = "Kafka client error while reading results: {Reason} (fatal: {IsFatal}); {Suppressed} similar errors were not logged")]
    public static partial void KafkaError(ILogger logger, string reason, bool isFatal, long suppressed);

    [LoggerMessage(EventId = 5034, Level = LogLevel.Information, Message = "Stopped after {Count} results")]
    public static partial void Stopped(ILogger logger, long count);
}
