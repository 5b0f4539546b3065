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

    [LoggerMessage(
        EventId = 2004,
        Message = "librdkafka {ClientName} {Facility}: {Text} ({Suppressed} similar lines were not logged)")]
    public static partial void ClientLog(
        ILogger logger,
        LogLevel level,
        string clientName,
        string facility,
        string text,
        long suppressed);

    [LoggerMessage(
        EventId = 2005,
        Level = LogLevel.Information,
        Message = "Kafka clients use security protocol {SecurityProtocol}, SASL mechanism {SaslMechanism}, " +
            "SASL user {SaslUsername}, CA file {SslCaLocation}; librdkafka settings: {Config}")]
    public static partial void ClientSettings(
        ILogger logger,
        string securityProtocol,
        string saslMechanism,
        string saslUsername,
        string sslCaLocation,
        string config);
}
