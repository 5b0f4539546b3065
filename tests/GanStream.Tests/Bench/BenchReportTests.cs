using GanStream.Cli.Bench;
using GanStream.Tests.Support;

namespace GanStream.Tests.Bench;

/// <summary>The bench report: JSON round trip, Markdown tables and the mode check.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class BenchReportTests
{
    [Fact]
    public void ToJson_FromJson_RoundTripsEveryFigure()
    {
        BenchReport report = SampleReport();

        string json = report.ToJson();
        BenchReport read = BenchReport.FromJson(json);

        Assert.Equal(json, read.ToJson());
        Assert.Equal(BenchReport.CurrentSchemaVersion, read.SchemaVersion);
        LoadPointResult saturation = read.Modes[0].Saturation!;
        Assert.Equal(120.4, saturation.LatencyMs.P50);
        Assert.Equal(7, saturation.Uplink.FeatureKinds["Downscaled"]);
        Assert.Equal(2.5, read.Modes[0].Quality!.FdResNet18NoiseFloor);
        Assert.Null(read.Modes[0].Quality!.Fid);
        Assert.Equal(0.95, read.HybridToBareRatio);
    }

    [Fact]
    public void ToJson_InfinitePsnr_IsWritten()
    {
        BenchReport report = SampleReport();
        ModeResult mode = report.Modes[0] with { Quality = report.Modes[0].Quality! with { MeanPsnr = double.PositiveInfinity } };

        string json = (report with { Modes = [mode] }).ToJson();

        Assert.Contains("\"Infinity\"", json, StringComparison.Ordinal);
        Assert.Equal(double.PositiveInfinity, BenchReport.FromJson(json).Modes[0].Quality!.MeanPsnr);
    }

    [Fact]
    public void Markdown_WithoutInception_SaysNotComputed()
    {
        string markdown = BenchMarkdown.Write(SampleReport(), ["latency-cdf.png"]);

        Assert.Contains("| mode | latency (ms) | CPU (%) | GPU (%) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| mode | IS | FID | PSNR (dB) | SSIM | FD (ResNet-18) | FD noise floor | frames |", markdown, StringComparison.Ordinal);
        Assert.Contains("| hybrid | not computed | not computed | 30.00 | 0.9000 | 12.00 | 2.50 | 8 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| hybrid | 120 (p95 180) | 25 | no GPU |", markdown, StringComparison.Ordinal);
        Assert.Contains("**95 %** of the bare rate (meets the target of 90 %)", markdown, StringComparison.Ordinal);
        Assert.Contains("![latency-cdf](latency-cdf.png)", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_FailedMode_IsLabelled()
    {
        BenchReport report = SampleReport();
        var failed = new ModeResult("edge-only", "failed", ["no frame was synthesized"], null, null, null);

        string markdown = BenchMarkdown.Write(report with { Modes = [.. report.Modes, failed] }, []);

        Assert.Contains("| edge-only (failed) | n/a | n/a | n/a |", markdown, StringComparison.Ordinal);
        Assert.Contains("- edge-only: no frame was synthesized", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckMode_CloudOnlyDownscaled_NotVerified()
    {
        var uplink = new UplinkBytes(1000, 1100, 8, 8, new Dictionary<string, long> { ["Downscaled"] = 8 });

        string? mismatch = ModeRunner.CheckMode(BenchModes.CloudOnly, uplink);

        Assert.NotNull(mismatch);
        Assert.Contains("cloud-only", mismatch, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BenchModes.CloudOnly, "FullFrame")]
    [InlineData(BenchModes.Hybrid, "Downscaled")]
    public void CheckMode_MatchingFeatures_IsVerified(string mode, string kind)
    {
        var uplink = new UplinkBytes(1000, 1100, 8, 8, new Dictionary<string, long> { [kind] = 8 });

        Assert.Null(ModeRunner.CheckMode(mode, uplink));
    }

    [Fact]
    public void CheckMode_NothingReadFromBroker_CannotTell()
    {
        var uplink = new UplinkBytes(null, null, 0, 0, new Dictionary<string, long>());

        Assert.Null(ModeRunner.CheckMode(BenchModes.EdgeOnly, uplink));
    }

    private static BenchReport SampleReport()
    {
        var cpu = new List<ProcessCpu>
        {
            new("edge", 1, 20, 10),
            new("cloud", 3, 30, 15),
            new("bench", 0.1, 1, 0.5),
        };
        var latency = new Distribution(8, 130, 120.4, 180, 190, 195);
        var point = new LoadPointResult(
            "saturation",
            null,
            false,
            8,
            new CameraTotals("bench", 8, 0, 0, 8, 80_000, 8, 0, 0, 0),
            8,
            4.0,
            2.0,
            latency,
            new Distribution(8, 40, 35, 50, 55, 56),
            new Distribution(8, 90, 85, 120, 125, 126),
            Distribution.Empty,
            Distribution.Empty,
            Distribution.Empty,
            Distribution.Empty,
            2.5,
            new UplinkBytes(10_000, 10_300, 7, 8, new Dictionary<string, long> { ["Downscaled"] = 7 }),
            78_000,
            cpu,
            new GpuUse(false, "no GPU (nvidia-smi not found)", 0, null, null),
            "esrgan-medium-x4",
            "CPUExecutionProvider",
            new Dictionary<string, int?> { ["edge"] = 0, ["cloud"] = null },
            new Dictionary<string, string> { ["edge"] = "runs/hybrid-saturation/edge.log" },
            [new CpuTimelinePoint(0.25, "edge", 12.5)],
            [100, 110, 120, 121, 130, 140, 170, 180],
            []);
        var quality = new ModeQuality(8, 30, 0.9, 12, 14, 2.5, null, null, null, null, []);
        return new BenchReport(
            BenchReport.CurrentSchemaVersion,
            new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero),
            "ganstream bench --frames 8",
            new MachineInfo("2 logical processors", 2, "Linux", "X64", "test CPU", 8, "no GPU"),
            new Dictionary<string, string> { ["ONNX Runtime"] = "1.32.0" },
            new BenchSettingsInfo("clip.avi", 195, 10, 8, 4, null, "esrgan-medium-x4", null, 4, "Cpu", 0, null, [BenchModes.Hybrid]),
            new LinkInfo(false, "no link emulation (loopback)", 0, 0, 0, 0),
            [new ModeResult(BenchModes.Hybrid, "ok", [], point, point with { Name = "latency" }, quality)],
            new BaselineResult("esrgan-medium-x4:1", "CPUExecutionProvider", 8, 4, 192, 144, 2, 3.8, 2.105, latency),
            0.95,
            []);
    }
}
