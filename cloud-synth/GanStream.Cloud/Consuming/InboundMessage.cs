using Confluent.Kafka;

namespace GanStream.Cloud.Consuming;

/// <summary>A message read from the features topic, with the moment it was read.</summary>
public sealed record InboundMessage(ConsumeResult<string, byte[]> Record, long ReceivedTimestamp)
{
    public TopicPartitionOffset Position => Record.TopicPartitionOffset;

    public Headers Headers => Record.Message.Headers;
}
