using Microsoft.Extensions.Logging;

namespace GanStream.Pipeline.Kafka;

/// <summary>Log messages of the Kafka transport; event ids 2000-2099.</summary>
internal static partial class KafkaLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Using Kafka brokers {BootstrapServers}")]
    public static partial void UsingExternalBrokers(ILogger logger, string bootstrapServers);

    [LoggerMessage(
        EventId = 2001,
        Level = LogLevel.Information,
        Message = "Started the embedded Kafka broker at {BootstrapServers} with {BrokerCount} broker(s)")]
    public static partial void EmbeddedBrokerStarted(ILogger logger, string bootstrapServers, int brokerCount);

    [LoggerMessage(
        EventId = 2003,
        Level = LogLevel.Information,
        Message = "The brokers do not support CreateTopics; relying on automatic creation of {Topics}")]
    public static partial void TopicAutoCreation(ILogger logger, string topics);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Could not create topic {Topic}: {Reason}")]
    public static partial void TopicCreationFailed(ILogger logger, string topic, string reason);
}
