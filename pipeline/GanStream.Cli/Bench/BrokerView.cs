using Confluent.Kafka;
using GanStream.Schemas;
using Google.Protobuf;

namespace GanStream.Cli.Bench;

/// <summary>
/// Reads a topic back from its start to measure what the broker received: record count and key, value and header
/// bytes, and the feature kind of each <c>FrameFeatures</c> record. The embedded broker keeps only the newest few
/// megabytes of a partition, so the records read can be fewer than those appended.
/// </summary>
internal static class BrokerView
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);

    public static UplinkBytes Read(string bootstrapServers, string topic, int partitions, double? edgeBytesPerFrame)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "ganstream-bench-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            ClientId = "ganstream-bench",
        };
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();

        long appended = 0;
        var assignment = new List<TopicPartitionOffset>();
        for (int partition = 0; partition < partitions; partition++)
        {
            var topicPartition = new TopicPartition(topic, partition);
            WatermarkOffsets watermarks = consumer.QueryWatermarkOffsets(topicPartition, ReadTimeout);
            appended += watermarks.High.Value;
            if (watermarks.High.Value > watermarks.Low.Value)
            {
                assignment.Add(new TopicPartitionOffset(topicPartition, Offset.Beginning));
            }
        }

        long records = 0;
        long bytes = 0;
        var kinds = new Dictionary<string, long>(StringComparer.Ordinal);
        if (assignment.Count > 0)
        {
            consumer.Assign(assignment);
            int ended = 0;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (ended < assignment.Count && waited.Elapsed < ReadTimeout)
            {
                ConsumeResult<byte[], byte[]>? result = consumer.Consume(TimeSpan.FromMilliseconds(500));
                if (result is null)
                {
                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    ended++;
                    continue;
                }

                records++;
                bytes += RecordBytes(result.Message);
                string kind = FeatureKindOf(result.Message.Value);
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            }

            consumer.Close();
        }

        double? perMessage = records > 0 ? (double)bytes / records : null;
        return new UplinkBytes(edgeBytesPerFrame, perMessage, records, appended, kinds);
    }

    private static long RecordBytes(Message<byte[], byte[]> message)
    {
        long total = (message.Key?.Length ?? 0) + (message.Value?.Length ?? 0);
        foreach (IHeader header in message.Headers ?? [])
        {
            total += header.Key.Length + (header.GetValueBytes()?.Length ?? 0);
        }

        return total;
    }

    private static string FeatureKindOf(byte[]? value)
    {
        if (value is null)
        {
            return "empty";
        }

        try
        {
            return FrameFeatures.Parser.ParseFrom(value).FeatureKind.ToString();
        }
        catch (InvalidProtocolBufferException)
        {
            return "invalid";
        }
    }
}
