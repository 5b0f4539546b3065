using GanStream.Cli.Bench;
using GanStream.Tests.Support;

namespace GanStream.Tests.Bench;

/// <summary>
/// <c>ganstream bench</c> on 8 frames of the held-out clip in hybrid mode, with the small test model so that it runs
/// in about a minute: the embedded broker in the bench process, edge and cloud worker as child processes.
/// </summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
[Trait(TestCategories.Name, TestCategories.Video)]
public sealed class BenchEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);
    private readonly string folder = TestPaths.CreateTemporaryFolder();

    [Fact]
    public async Task Bench_HybridOnEightFrames_WritesSaneReport()
    {
        using CliProcess bench = CliProcess.Start(
        [
            "bench",
            "--mode", "hybrid",
            "--frames", "8",
            "--latency-frames", "4",

            // A fixed rate: half the saturation rate of this tiny model can exceed the clip's own rate, and then
            // no cap would apply.
            "--latency-fps", "2",
            "--model-repository", TestPaths.TestModels,
            "--model", "test-x2",
            "--execution-provider", "Cpu",
            "--input", TestPaths.HoldoutClip,
            "--output", folder,
        ]);
        int exitCode = await bench.WaitForExitAsync(Timeout, TestContext.Current.CancellationToken);
        output.WriteLine(bench.Output);

        Assert.Equal(0, exitCode);
        foreach (string file in new[] { "bench.md", "bench.json", "latency-cdf.png", "compare-latency.png", "compare-cpu.png", "compare-uplink.png" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is missing");
        }

        byte[] png = File.ReadAllBytes(Path.Combine(folder, "latency-cdf.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));

        BenchReport report = BenchReport.FromJson(File.ReadAllText(Path.Combine(folder, "bench.json")));
        ModeResult hybrid = Assert.Single(report.Modes);
        Assert.Equal("ok", hybrid.Status);
        LoadPointResult saturation = hybrid.Saturation!;
        CameraTotals camera = saturation.Camera!;
        Assert.Equal(8, camera.FramesRead);
        Assert.InRange(saturation.FramesSynthesized, 1, 8);
        Assert.Equal(camera.FramesSynthesized, saturation.FramesSynthesized);
        Assert.True(saturation.FramesPerSecond > 0);
        Assert.True(saturation.LatencyMs.P50 > 0);
        Assert.True(saturation.LatencyMs.P50 <= saturation.LatencyMs.P95);
        Assert.True(saturation.LatencyMs.P95 <= saturation.LatencyMs.P99);
        Assert.True(saturation.InferenceMs.P50 > 0);
        Assert.True(saturation.OverheadMs.P50 >= 0);
        Assert.Equal(camera.FramesSent, saturation.Uplink.BrokerMessagesRead);
        Assert.Equal(camera.FramesSent, saturation.Uplink.FeatureKinds["Downscaled"]);
        Assert.True(saturation.Uplink.EdgeFeatureBytesPerFrame > 0);
        Assert.True(saturation.Uplink.BrokerBytesPerMessage > saturation.Uplink.EdgeFeatureBytesPerFrame);
        Assert.Equal("test-x2", saturation.Model);
        Assert.Equal("CPUExecutionProvider", saturation.ExecutionProvider);
        Assert.True(saturation.Cpu.Single(c => c.Role == "edge").CpuSeconds > 0);
        Assert.True(saturation.Cpu.Single(c => c.Role == "cloud").CpuSeconds > 0);
        Assert.NotNull(hybrid.Latency);
        Assert.True(hybrid.Latency.RealTime);
        Assert.Equal(2, hybrid.Latency.RateCapFramesPerSecond);

        BaselineResult baseline = report.Baseline!;
        Assert.Equal("test-x2:1", baseline.Model);
        Assert.Equal(8, baseline.Frames);
        Assert.True(baseline.FramesPerSecond > 0);
        Assert.True(report.HybridToBareRatio > 0);

        ModeQuality quality = hybrid.Quality!;
        Assert.Equal(saturation.FramesSynthesized, quality.Frames);
        Assert.InRange(quality.MeanPsnr!.Value, 15, 60);
        Assert.InRange(quality.MeanSsim!.Value, 0.2, 1);
        Assert.Null(quality.InceptionScore);
        Assert.Null(quality.Fid);

        string markdown = File.ReadAllText(Path.Combine(folder, "bench.md"));
        Assert.Contains("| mode | latency (ms) | CPU (%) | GPU (%) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| hybrid | not computed | not computed |", markdown, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
