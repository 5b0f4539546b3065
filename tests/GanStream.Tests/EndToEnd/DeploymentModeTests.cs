using GanStream.Cli.Hosting;
using GanStream.Cli.Summary;
using GanStream.Pipeline.Kafka;
using GanStream.Schemas;
using GanStream.Tests.Support;
using OpenCvSharp;

namespace GanStream.Tests.EndToEnd;

/// <summary>The cloud-only and edge-only deployment modes on the real sample clip.</summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class DeploymentModeTests(KafkaTestBroker broker, ITestOutputHelper output)
{
    private const int Frames = 16;

    [Fact]
    public async Task Run_CloudOnly_WorkerFiltersWholeFrames()
    {
        TopicOptions topics = KafkaTestBroker.UniqueTopics();
        HostSettings settings = CreateSettings("CloudOnly", broker.CreateBootstrap());
        settings.Set("Topics:Features", topics.Features);
        settings.Set("Topics:Results", topics.Results);
        settings.Set("Topics:DeadLetter", topics.DeadLetter);
        settings.Set("Cloud:GroupId", $"cloud-only-{Guid.NewGuid():N}");

        // The clip has 10 frames per second, so the worker's rate filter drops about every second frame.
        settings.Set("Cloud:Filters:MaxFramesPerSecond", 5);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        RunSummary summary = await PipelineRun.ExecuteAsync(settings, timeout.Token);

        CameraSummary camera = Assert.Single(summary.Cameras);
        output.WriteLine(summary.ToText());
        List<FrameFeatures> published = ReadValues(topics.Features, FrameFeatures.Parser.ParseFrom);
        List<SynthesisResult> results = ReadValues(topics.Results, SynthesisResult.Parser.ParseFrom);
        List<SynthesisResult> filtered = results.Where(r => r.Status == ResultStatus.Filtered).ToList();
        List<SynthesisResult> synthesized = results.Where(r => r.Status == ResultStatus.Ok).ToList();

        Assert.Equal(Frames, camera.Read);
        Assert.Equal(Frames, camera.Sent);
        Assert.True(camera.Reconciles);
        Assert.Equal(Frames, published.Count);
        Assert.All(published, f => Assert.Equal(FeatureKind.FullFrame, f.FeatureKind));
        Assert.All(published, f => Assert.Equal((768u, 576u), (f.Width, f.Height)));
        Assert.InRange(filtered.Count, Frames / 2 - 2, Frames / 2 + 2);
        Assert.All(filtered, r => Assert.Equal("rate", r.ErrorReason));
        Assert.Equal(filtered.Count, camera.FilteredTotal);
        Assert.Equal(synthesized.Count, camera.Synthesized);
        Assert.Equal(Frames, filtered.Count + synthesized.Count);
        Assert.All(synthesized, r => Assert.Equal((768u, 576u), (r.Width, r.Height)));
    }

    [Fact]
    public async Task Run_HybridOverEmulatedLink_SynthesizesEveryFrameSent()
    {
        TopicOptions topics = KafkaTestBroker.UniqueTopics();
        HostSettings settings = CreateSettings("hybrid", broker.CreateBootstrap());
        settings.Set("Topics:Features", topics.Features);
        settings.Set("Topics:Results", topics.Results);
        settings.Set("Topics:DeadLetter", topics.DeadLetter);
        settings.Set("Cloud:GroupId", $"link-{Guid.NewGuid():N}");
        settings.Set("Link:UplinkMbps", 20);
        settings.Set("Link:DownlinkMbps", 50);
        settings.Set("Link:RoundTripMs", 30);
        settings.Set("Link:JitterMs", 5);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        RunSummary summary = await PipelineRun.ExecuteAsync(settings, timeout.Token);

        CameraSummary camera = Assert.Single(summary.Cameras);
        output.WriteLine(summary.ToText());
        Assert.Equal(Frames, camera.Read);
        Assert.True(camera.Sent > 0);
        Assert.Equal(camera.Sent, camera.Synthesized);
        Assert.True(camera.Reconciles);
    }

    [Fact]
    public async Task Run_EdgeOnly_NeedsNoBroker()
    {
        HostSettings settings = CreateSettings("EdgeOnly");
        settings.Set("Edge:Features:LocalModel", "esrgan-slim-x4");

        // A broker list nothing listens on: edge-only must not connect to it, nor start an embedded one.
        settings.Set("Kafka:BootstrapServers", "127.0.0.1:9");

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        RunSummary summary = await PipelineRun.ExecuteAsync(settings, timeout.Token);

        CameraSummary camera = Assert.Single(summary.Cameras);
        output.WriteLine(summary.ToText());
        Assert.Equal("none (edge-only)", summary.Broker);
        Assert.Equal("esrgan-slim-x4", summary.Model);
        Assert.Equal(Frames, camera.Read);
        Assert.Equal(camera.Read, camera.FilteredTotal + camera.Synthesized);
        Assert.True(camera.Synthesized > 0);
        Assert.True(camera.Reconciles);

        using var video = new VideoCapture(camera.Video!);
        Assert.Equal((768, 576), (video.FrameWidth, video.FrameHeight));
    }

    private static HostSettings CreateSettings(string mode, KafkaBootstrap? bootstrap = null)
    {
        var settings = new HostSettings { Bootstrap = bootstrap };
        settings.Set("Pipeline:Mode", mode);
        settings.Set("Models:Path", TestPaths.Models);
        settings.Set("Models:DefaultModel", "esrgan-slim-x4");
        settings.Set("Edge:Cameras:0:Id", "street");
        settings.Set("Edge:Cameras:0:Source", TestPaths.SampleClip);
        settings.Set("Edge:Cameras:0:MaxFrames", Frames);
        settings.Set("Edge:Output:Directory", TestPaths.CreateTemporaryFolder());
        settings.Set("Metrics:Urls", "http://127.0.0.1:0");
        return settings;
    }

    private List<T> ReadValues<T>(string topic, Func<byte[], T> parse) =>
        TopicTools.ReadAll(broker.BootstrapServers, topic).Select(record => parse(record.Message.Value)).ToList();
}
