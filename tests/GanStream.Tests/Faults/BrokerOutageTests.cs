using GanStream.Cli.Hosting;
using GanStream.Edge;
using GanStream.Edge.Accounting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Kafka.Embedded;
using GanStream.Tests.Support;

namespace GanStream.Tests.Faults;

/// <summary>The whole pipeline while its only broker is down for 30 seconds and comes back.</summary>
[Trait(TestCategories.Name, TestCategories.Fault)]
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class BrokerOutageTests(ITestOutputHelper output)
{
    private const int BrokerId = 1;
    private const int Frames = 60;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Pipeline_BrokerDownFor30Seconds_FramesWaitAndEveryOneIsSynthesized()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using EmbeddedKafkaCluster cluster = KafkaTestBroker.StartFaultCluster();
        TopicOptions topics = KafkaTestBroker.UniqueTopics();
        HostSettings settings = ServiceRunner.CreateSettings(
            KafkaBootstrap.ForEmbedded(cluster),
            topics,
            $"outage-{Guid.NewGuid():N}");
        settings.Set("Edge:Cameras:0:Id", "street");
        settings.Set("Edge:Cameras:0:Source", TestPaths.SampleClip);
        settings.Set("Edge:Cameras:0:MaxFrames", Frames);

        // Read at the clip's own 10 frames a second, with room for every frame in flight, so that frames keep being
        // sent while the broker is down and wait in the producer.
        settings.Set("Edge:Cameras:0:RealTime", true);
        settings.Set("Edge:MaxInFlightPerCamera", Frames);
        settings.Set("Edge:ResultTimeout", "00:04:00");
        var logs = new RecordingLoggerProvider();
        using IDisposable dump = logs.DumpOnDispose(output);

        await using PipelineHost pipeline = ServiceRunner.CreatePipeline(settings, logs);
        await pipeline.StartAsync(cancellationToken);
        Task<EdgeRunReport> run = pipeline.RunToCompletionAsync(cancellationToken);
        await WaitUntilAsync(() => Camera(pipeline).Synthesized >= 1, cancellationToken);

        cluster.SetBrokerDown(BrokerId);
        var duringOutage = new List<CameraSnapshot>();
        DateTime upAt = DateTime.UtcNow + Outage;
        while (DateTime.UtcNow < upAt)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            duringOutage.Add(Camera(pipeline));
        }

        cluster.SetBrokerUp(BrokerId);
        EdgeRunReport report = await run.WaitAsync(Timeout, cancellationToken);

        CameraSnapshot camera = Assert.Single(report.Cameras);
        output.WriteLine($"read {camera.Read}, filtered {camera.FilteredTotal}, sent {camera.Sent}, synthesized {camera.Synthesized}");
        Assert.All(duringOutage, snapshot => Assert.True(snapshot.Reconciles));
        Assert.Contains(duringOutage, snapshot => snapshot.Unacknowledged > 0);
        Assert.Equal(Frames, camera.Read);
        Assert.Equal(camera.Sent, camera.Synthesized);
        Assert.Equal(0, camera.DroppedTotal);
        Assert.Equal(0, camera.Expired);
        Assert.Equal(camera.Read, camera.FilteredTotal + camera.Synthesized);
        Assert.True(camera.Reconciles);
        Assert.False(report.Interrupted);
    }

    private static CameraSnapshot Camera(PipelineHost pipeline) =>
        pipeline.Edge.Snapshot() is [CameraSnapshot camera] ? camera : new CameraSnapshot(
            "none",
            0,
            new Dictionary<string,
            long>(),
            new Dictionary<string,
            long>(),
            0,
            0,
            0,
            new Dictionary<string,
            long>(),
            0,
            0,
            0,
            0,
            []);

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), limit.Token);
        }
    }
}
