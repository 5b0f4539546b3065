using Confluent.Kafka;
using GanStream.Cli.Hosting;
using GanStream.Cli.Summary;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using GanStream.Tests.Support;

namespace GanStream.Tests.EndToEnd;

/// <summary>The whole pipeline on the real sample clip: edge, broker, worker and back.</summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class PipelineEndToEndTests(KafkaTestBroker broker, ITestOutputHelper output)
{
    private const int Frames = 24;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_RealClip_EveryPublishedFrameReturnsOnceAtFourTimesItsSize()
    {
        output.WriteLine($"Running against {broker.Description}");
        TopicOptions topics = KafkaTestBroker.UniqueTopics();
        string outputFolder = TestPaths.CreateTemporaryFolder();
        var settings = new HostSettings { Bootstrap = broker.CreateBootstrap() };
        settings.Set("Topics:Features", topics.Features);
        settings.Set("Topics:Results", topics.Results);
        settings.Set("Topics:DeadLetter", topics.DeadLetter);
        settings.Set("Cloud:GroupId", $"e2e-{Guid.NewGuid():N}");
        settings.Set("Models:Path", TestPaths.Models);
        settings.Set("Models:DefaultModel", "esrgan-slim-x4");
        settings.Set("Edge:Cameras:0:Id", "street");
        settings.Set("Edge:Cameras:0:Source", TestPaths.SampleClip);
        settings.Set("Edge:Cameras:0:MaxFrames", Frames);
        settings.Set("Edge:Output:Directory", outputFolder);
        settings.Set("Metrics:Urls", "http://127.0.0.1:0");

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        RunSummary summary = await PipelineRun.ExecuteAsync(settings, timeout.Token);

        CameraSummary camera = Assert.Single(summary.Cameras);
        output.WriteLine(summary.ToText());
        Assert.Equal(Frames, camera.Read);
        Assert.Equal(camera.Read, camera.FilteredTotal + camera.Sent);
        Assert.Equal(camera.Sent, camera.Synthesized);
        Assert.True(camera.Sent > 0);
        Assert.True(camera.Reconciles);
        Assert.True(File.Exists(camera.Video));

        Dictionary<string, FrameFeatures> published = ReadAll(topics.Features, FrameFeatures.Parser.ParseFrom);
        Dictionary<string, List<SynthesisResult>> results = ReadAllGrouped(topics.Results, SynthesisResult.Parser.ParseFrom);

        Assert.Equal(camera.Sent, published.Count);
        Assert.Equal(published.Keys.Order(), results.Keys.Order());
        foreach ((string correlationId, FrameFeatures features) in published)
        {
            SynthesisResult result = Assert.Single(results[correlationId]);
            Assert.Equal(ResultStatus.Ok, result.Status);
            Assert.Equal(features.CameraId, result.CameraId);
            Assert.Equal(features.FrameSequence, result.FrameSequence);
            Assert.Equal(features.Width * 4, result.Width);
            Assert.Equal(features.Height * 4, result.Height);
        }
    }

    private Dictionary<string, T> ReadAll<T>(string topic, Func<byte[], T> parse) =>
        ReadAllGrouped(topic, parse).ToDictionary(pair => pair.Key, pair => Assert.Single(pair.Value));

    /// <summary>Reads a topic from its beginning to its current end, grouping values by correlation id.</summary>
    private Dictionary<string, List<T>> ReadAllGrouped<T>(string topic, Func<byte[], T> parse)
    {
        var config = new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = $"reader-{Guid.NewGuid():N}", EnableAutoCommit = false };
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        using IConsumer<string, byte[]> consumer = new ConsumerBuilder<string, byte[]>(config).Build();

        var grouped = new Dictionary<string, List<T>>();
        TopicMetadata metadata = admin.GetMetadata(topic, ReadTimeout).Topics.Single();
        foreach (PartitionMetadata partition in metadata.Partitions)
        {
            var topicPartition = new TopicPartition(topic, partition.PartitionId);
            WatermarkOffsets watermarks = consumer.QueryWatermarkOffsets(topicPartition, ReadTimeout);
            if (watermarks.High == watermarks.Low)
            {
                continue;
            }

            consumer.Assign(new TopicPartitionOffset(topicPartition, watermarks.Low));
            long next = watermarks.Low;
            while (next < watermarks.High)
            {
                ConsumeResult<string, byte[]> record = consumer.Consume(ReadTimeout) ?? throw new TimeoutException($"No message from {topicPartition} within {ReadTimeout}.");
                next = record.Offset.Value + 1;
                string correlationId = record.Message.Headers.GetString(MessageHeaders.CorrelationId) ?? string.Empty;
                grouped.TryAdd(correlationId, []);
                grouped[correlationId].Add(parse(record.Message.Value));
            }
        }

        return grouped;
    }
}
