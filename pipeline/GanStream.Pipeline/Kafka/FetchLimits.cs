using Confluent.Kafka;

namespace GanStream.Pipeline.Kafka;

/// <summary>Bounds what a consumer reads from the network, derived from the largest message it accepts.</summary>
public static class FetchLimits
{
    /// <summary>
    /// Sets the partition fetch size to <paramref name="maxMessageBytes"/>, one fetch to twice that (at least
    /// librdkafka's <c>message.max.bytes</c>, which it requires), and librdkafka's read-ahead queue to twice one
    /// fetch. These bound the memory the client uses for fetching. They do not stop an oversized message: brokers
    /// since Kafka 0.10.1 (KIP-74) return a record batch larger than the fetch size, so the message arrives and the
    /// application rejects it by its size. Settings under <c>Kafka:Config</c> applied afterwards override these.
    /// </summary>
    public static void Apply(ConsumerConfig config, int maxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1);

        // librdkafka requires fetch.max.bytes to be at least message.max.bytes (1,000,000 by default), and
        // receive.message.max.bytes to exceed fetch.max.bytes by at least 512 bytes, up to 2,147,483,647.
        const long MaxFetchBytes = int.MaxValue - 1024;
        long minFetchBytes = config.MessageMaxBytes ?? 1_000_000;
        int fetchBytes = (int)Math.Clamp(2L * maxMessageBytes, minFetchBytes, MaxFetchBytes);
        config.MaxPartitionFetchBytes = maxMessageBytes;
        config.FetchMaxBytes = fetchBytes;
        config.ReceiveMessageMaxBytes = fetchBytes + 1024;
        config.QueuedMaxMessagesKbytes = (int)Math.Clamp(2L * fetchBytes / 1024, 1024, 2_097_151);
    }
}
