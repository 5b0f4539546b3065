using GanStream.Cli.Hosting;
using GanStream.Edge;
using GanStream.Edge.Accounting;
using GanStream.Pipeline.Kafka;
using GanStream.Schemas;
using GanStream.Tests.Support;
using OpenCvSharp;

namespace GanStream.Tests.EndToEnd;

/// <summary>
/// One edge with a good camera next to bad ones, through the broker and a worker: an empty file, a truncated file,
/// a camera of 1x1 frames and one of 641x481 frames. The bad cameras end in clear outcomes and the rest keeps going.
/// </summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
[Trait(TestCategories.Name, TestCategories.Video)]
public sealed class EdgeBadInputTests(KafkaTestBroker broker, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Edge_GoodAndBadCameras_EveryFrameHasAnOutcomeAndBadCamerasAreReported()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        output.WriteLine($"Running against {broker.Description}");
        string folder = TestPaths.CreateTemporaryFolder();
        string empty = Path.Combine(folder, "empty.avi");
        await File.WriteAllBytesAsync(empty, [], cancellationToken);
        byte[] clip = await File.ReadAllBytesAsync(TestPaths.SampleClip, cancellationToken);
        string truncated = Path.Combine(folder, "truncated.avi");
        await File.WriteAllBytesAsync(truncated, clip[..(clip.Length / 10)], cancellationToken);
        await using var tiny = MjpegTestServer.Create(6, TimeSpan.FromMilliseconds(100), f => f.Resize(new Size(1, 1)));
        await using var odd = MjpegTestServer.Create(
            6,
            TimeSpan.FromMilliseconds(100),
            f => f.Resize(new Size(641, 481), 0, 0, InterpolationFlags.Area));
        tiny.Start();
        odd.Start();

        TopicOptions topics = KafkaTestBroker.UniqueTopics();
        HostSettings settings = ServiceRunner.CreateSettings(broker.CreateBootstrap(), topics, $"bad-input-{Guid.NewGuid():N}");
        string[] cameras = ["good", "empty", "cut", "tiny", "odd"];
        string[] sources = [TestPaths.SampleClip, empty, truncated, tiny.Url, odd.Url];
        for (int i = 0; i < cameras.Length; i++)
        {
            settings.Set($"Edge:Cameras:{i}:Id", cameras[i]);
            settings.Set($"Edge:Cameras:{i}:Source", sources[i]);
            settings.Set($"Edge:Cameras:{i}:MaxFrames", cameras[i] == "cut" ? 0 : 4);
        }

        // Without filters every frame reaches feature extraction, where the 1x1 frames are too small.
        settings.Set("Edge:Filters:BlurThreshold", 0);
        settings.Set("Edge:Filters:DuplicateThreshold", 0);
        settings.Set("Edge:MaxInFlightPerCamera", 8);
        var logs = new RecordingLoggerProvider();
        using IDisposable dump = logs.DumpOnDispose(output);
        using var collector = new ResultCollector(broker.BootstrapServers, topics.Results);

        await using PipelineHost pipeline = ServiceRunner.CreatePipeline(settings, logs);
        await pipeline.StartAsync(cancellationToken);
        EdgeRunReport report = await pipeline.RunToCompletionAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
        Dictionary<string, CameraSnapshot> byId = report.Cameras.ToDictionary(c => c.CameraId);
        foreach (CameraSnapshot camera in report.Cameras)
        {
            string dropped = string.Join(", ", camera.Dropped);
            output.WriteLine($"{camera.CameraId}: read {camera.Read}, dropped {dropped}, synthesized {camera.Synthesized}");
        }

        Assert.Contains("empty (0 bytes)", report.FailedCameras["empty"], StringComparison.Ordinal);
        Assert.Equal(0, byId["empty"].Read);
        Assert.All(report.Cameras, camera => Assert.True(camera.Reconciles, $"{camera.CameraId} does not reconcile"));
        Assert.Equal(4, byId["good"].Synthesized);
        Assert.InRange(byId["cut"].Read, 1, 199);
        Assert.Equal(byId["cut"].Read, byId["cut"].Synthesized);
        Assert.Single(logs.WithEvent(1106), e => e.Message.Contains("Camera cut", StringComparison.Ordinal));
        Assert.Equal(4, byId["tiny"].Dropped["too-small"]);
        Assert.Contains(
            logs.WithEvent(1003),
            e => e.Message.Contains("Camera tiny frame 0 was dropped (too-small)", StringComparison.Ordinal));
        Assert.True(byId["odd"].Synthesized >= 1);
        IEnumerable<SynthesisResult> oddResults = collector.Results.Values.SelectMany(r => r).Where(r => r.CameraId == "odd");
        Assert.All(oddResults, r => Assert.Equal((640u, 480u), (r.Width, r.Height)));
        Assert.NotEmpty(oddResults);
    }
}
