using Confluent.Kafka;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using Google.Protobuf;
using OpenCvSharp;

namespace GanStream.Tests.Support;

/// <summary>Writes requests to and reads whole topics from a broker, for tests that drive a worker directly.</summary>
public static class TopicTools
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A valid request: a frame of the sample clip reduced to <paramref name="width"/> x <paramref name="height"/> as
    /// JPEG, as an edge with a 4x model sends it.
    /// </summary>
    public static FrameFeatures CreateFeatures(string cameraId, ulong sequence, int width = 192, int height = 144, int frameIndex = 0)
    {
        using Mat frame = TestImages.SampleFrame(frameIndex);
        using var reduced = new Mat();
        Cv2.Resize(frame, reduced, new Size(width, height), 0, 0, InterpolationFlags.Area);
        return new FrameFeatures
        {
            SchemaVersion = SchemaVersions.FrameFeatures,
            CameraId = cameraId,
            FrameSequence = sequence,
            CaptureTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            FeatureKind = FeatureKind.Downscaled,
            Encoding = ImageEncoding.Jpeg,
            Width = (uint)width,
            Height = (uint)height,
            SourceWidth = (uint)(width * 4),
            SourceHeight = (uint)(height * 4),
            Payload = ByteString.CopyFrom(ImageCodec.Encode(reduced, ImageEncoding.Jpeg, 90)),
        };
    }

    /// <summary>Request headers as an edge sets them: a fresh correlation id and the reply topic.</summary>
    public static Headers RequestHeaders(string replyTopic, out string correlationId)
    {
        correlationId = CorrelationIds.Create();
        var headers = new Headers();
        headers.AddString(MessageHeaders.CorrelationId, correlationId);
        headers.AddString(MessageHeaders.ReplyTopic, replyTopic);
        headers.AddString(MessageHeaders.ContentType, MessageHeaders.FrameFeaturesContentType);
        return headers;
    }

    /// <summary>
    /// Writes <paramref name="count"/> valid requests for the sample clip's first frame, keyed over
    /// <paramref name="cameras"/> camera ids so that they spread over the partitions.
    /// </summary>
    /// <returns>The correlation ids, in the order written.</returns>
    public static IReadOnlyList<string> ProduceRequests(
        string bootstrapServers,
        string topic,
        string replyTopic,
        int count,
        int cameras = 8,
        int width = 192,
        int height = 144)
    {
        byte[][] values = Enumerable.Range(0, cameras)
            .Select(c => CreateFeatures($"camera-{c}", 0, width, height).ToByteArray())
            .ToArray();
        var ids = new List<string>();
        using IProducer<string, byte[]> producer = CreateProducer(bootstrapServers);
        for (int i = 0; i < count; i++)
        {
            // The camera id is the key of both the request and its result, so results spread like requests.
            producer.Produce(topic, new Message<string, byte[]>
            {
                Key = $"camera-{i % cameras}",
                Value = values[i % cameras],
                Headers = RequestHeaders(replyTopic, out string correlationId),
            });
            ids.Add(correlationId);
        }

        Assert.Equal(0, producer.Flush(Timeout));
        return ids;
    }

    public static IProducer<string, byte[]> CreateProducer(string bootstrapServers) =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true, LingerMs = 1 })
            .SetLogHandler((_, _) => { })
            .Build();

    /// <summary>Reads a topic from its beginning to its current end.</summary>
    public static List<ConsumeResult<string, byte[]>> ReadAll(string bootstrapServers, string topic)
    {
        var config = new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = $"reader-{Guid.NewGuid():N}", EnableAutoCommit = false };
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        using IConsumer<string, byte[]> consumer = new ConsumerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();

        var records = new List<ConsumeResult<string, byte[]>>();
        TopicMetadata? metadata = admin.GetMetadata(topic, Timeout).Topics.SingleOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.IsError)
        {
            return records;
        }

        foreach (PartitionMetadata partition in metadata.Partitions)
        {
            var topicPartition = new TopicPartition(topic, partition.PartitionId);
            WatermarkOffsets watermarks = consumer.QueryWatermarkOffsets(topicPartition, Timeout);
            if (watermarks.High == watermarks.Low)
            {
                continue;
            }

            consumer.Assign(new TopicPartitionOffset(topicPartition, watermarks.Low));
            long next = watermarks.Low;
            while (next < watermarks.High)
            {
                ConsumeResult<string, byte[]> record = consumer.Consume(Timeout)
                    ?? throw new TimeoutException($"No message from {topicPartition} within {Timeout}.");
                next = record.Offset.Value + 1;
                records.Add(record);
            }
        }

        return records;
    }

    /// <summary>Offsets committed by a consumer group, for every partition of a topic; -1001 where none.</summary>
    public static Dictionary<int, long> Committed(string bootstrapServers, string groupId, string topic)
    {
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var config = new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = groupId, EnableAutoCommit = false };
        using IConsumer<string, byte[]> consumer = new ConsumerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        TopicMetadata metadata = admin.GetMetadata(topic, Timeout).Topics.Single(t => t.Topic == topic);
        List<TopicPartition> partitions = metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        return consumer.Committed(partitions, Timeout).ToDictionary(o => o.Partition.Value, o => o.Offset.Value);
    }

    /// <summary>The end offset of every partition of a topic.</summary>
    public static Dictionary<int, long> EndOffsets(string bootstrapServers, string topic)
    {
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var config = new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = $"reader-{Guid.NewGuid():N}" };
        using IConsumer<string, byte[]> consumer = new ConsumerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        TopicMetadata metadata = admin.GetMetadata(topic, Timeout).Topics.Single(t => t.Topic == topic);
        return metadata.Partitions.ToDictionary(
            p => p.PartitionId,
            p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), Timeout).High.Value);
    }
}
