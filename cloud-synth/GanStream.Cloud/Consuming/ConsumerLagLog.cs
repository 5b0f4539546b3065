using Microsoft.Extensions.Logging;

namespace GanStream.Cloud.Consuming;

/// <summary>Log messages of the consumer lag metrics; event ids 5020-5029.</summary>
internal static partial class ConsumerLagLog
{
    [LoggerMessage(
        EventId = 5020,
        Level = LogLevel.Warning,
        Message = "Kafka consumer statistics could not be read, so the lag metric is not updated: {Reason}")]
    public static partial void StatisticsUnreadable(ILogger logger, string reason);
}
