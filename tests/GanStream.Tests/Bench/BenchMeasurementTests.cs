using GanStream.Cli.Bench;
using GanStream.Cli.Commands;
using GanStream.Cli.Hosting;
using GanStream.Tests.Support;

namespace GanStream.Tests.Bench;

/// <summary>The bench's measurement code on known inputs: /proc parsing, percentiles, CPU over a window, parsers.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class BenchMeasurementTests
{
    [Fact]
    public void ProcStat_ParenthesesInName_SumsTicks()
    {
        // Fields 14 (utime) and 15 (stime) are 1234 and 56; the command name "my (odd) proc" would shift a naive split.
        const string Stat =
            "4242 (my (odd) proc) S 1 4242 4242 0 -1 4194560 1500 0 0 0 1234 56 0 0 20 0 9 0 12345 1000000 2000 " +
            "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        long? ticks = ProcStat.ParseCpuTicks(Stat);

        Assert.Equal(1290, ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (truncated")]
    [InlineData("4242 (short) S 1 2 3")]
    [InlineData("4242 (bad) S 1 4242 4242 0 -1 4194560 1500 0 0 0 abc 56 0 0")]
    public void ProcStat_MalformedText_ReturnsNull(string stat)
    {
        Assert.Null(ProcStat.ParseCpuTicks(stat));
    }

    [Fact]
    public void ProcStat_OwnProcess_CpuGrows()
    {
        double? before = ProcStat.TryReadCpuSeconds(Environment.ProcessId);
        double sum = 0;
        for (int i = 0; i < 20_000_000; i++)
        {
            sum += Math.Sqrt(i);
        }

        double? after = ProcStat.TryReadCpuSeconds(Environment.ProcessId);

        Assert.True(sum > 0);
        Assert.NotNull(before);
        Assert.NotNull(after);
        Assert.True(before > 0, $"CPU seconds before: {before}");
        Assert.True(after >= before, $"CPU seconds went from {before} to {after}");
    }

    [Fact]
    public void ProcStat_MissingProcess_ReturnsNull()
    {
        Assert.Null(ProcStat.TryReadCpuSeconds(int.MaxValue));
    }

    [Fact]
    public void Distribution_OneToHundred_InterpolatesPercentiles()
    {
        Distribution distribution = Distribution.Of(Enumerable.Range(1, 100).Select(i => (double)i).Reverse());

        Assert.Equal(100, distribution.Count);
        Assert.Equal(50.5, distribution.Mean!.Value, precision: 9);
        Assert.Equal(50.5, distribution.P50!.Value, precision: 9);
        Assert.Equal(95.05, distribution.P95!.Value, precision: 9);
        Assert.Equal(99.01, distribution.P99!.Value, precision: 9);
        Assert.Equal(100, distribution.Max);
    }

    [Fact]
    public void Distribution_EmptyOrNaN_HasNoFigures()
    {
        Distribution distribution = Distribution.Of([double.NaN]);

        Assert.Equal(0, distribution.Count);
        Assert.Null(distribution.P50);
        Assert.Null(distribution.Mean);
    }

    [Fact]
    public void CpuTimeline_WindowBetweenSamples_Interpolates()
    {
        var origin = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var timeline = new CpuTimeline("edge");
        timeline.Add(new CpuSample(origin, 10.0));
        timeline.Add(new CpuSample(origin.AddSeconds(1), 10.5));
        timeline.Add(new CpuSample(origin.AddSeconds(2), 11.5));

        double? used = timeline.CpuSecondsBetween(origin.AddSeconds(0.5), origin.AddSeconds(1.5));
        double? clamped = timeline.CpuSecondsBetween(origin.AddSeconds(-5), origin.AddSeconds(5));

        Assert.Equal(0.75, used!.Value, precision: 9);
        Assert.Equal(1.5, clamped!.Value, precision: 9);
        Assert.Equal(1.5, timeline.TotalCpuSeconds()!.Value, precision: 9);
    }

    [Fact]
    public void CpuTimeline_Percent_IsPerCore()
    {
        var origin = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var timeline = new CpuTimeline("cloud");
        timeline.Add(new CpuSample(origin, 0));
        timeline.Add(new CpuSample(origin.AddSeconds(0.5), 0.75));

        var point = Assert.Single(timeline.PercentTimeline());

        Assert.Equal(150, point.PercentOfCore, precision: 9);
    }

    [Fact]
    public void CpuTimeline_SampleOutOfOrder_IsRejected()
    {
        var origin = DateTimeOffset.UtcNow;
        var timeline = new CpuTimeline("edge");
        timeline.Add(new CpuSample(origin, 1));

        Assert.Throws<ArgumentException>(() => timeline.Add(new CpuSample(origin.AddSeconds(-1), 2)));
    }

    [Fact]
    public void CpuOver_HalfBusy_IsFiftyPercent()
    {
        var origin = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var timeline = new CpuTimeline("edge");
        timeline.Add(new CpuSample(origin, 3));
        timeline.Add(new CpuSample(origin.AddSeconds(2), 4));

        ProcessCpu cpu = LoadPointAnalysis.CpuOver(timeline, origin, origin.AddSeconds(2));

        Assert.Equal("edge", cpu.Role);
        Assert.Equal(1, cpu.CpuSeconds!.Value, precision: 9);
        Assert.Equal(50, cpu.PercentOfCore!.Value, precision: 9);
        Assert.Equal(50.0 / Environment.ProcessorCount, cpu.PercentOfMachine!.Value, precision: 9);
    }

    [Fact]
    public void CpuOver_SingleSample_HasNoPercent()
    {
        var origin = DateTimeOffset.UtcNow;
        var timeline = new CpuTimeline("edge");
        timeline.Add(new CpuSample(origin, 3));

        ProcessCpu cpu = LoadPointAnalysis.CpuOver(timeline, origin, origin.AddSeconds(1));

        Assert.Null(cpu.PercentOfCore);
    }

    [Theory]
    [InlineData("37, 1024", 37, 1024)]
    [InlineData("0, 0", 0, 0)]
    [InlineData("100,81920", 100, 81920)]
    public void GpuSampler_CsvLine_IsParsed(string line, double utilization, double memory)
    {
        GpuSample? sample = GpuSampler.ParseLine(line, DateTimeOffset.UtcNow);

        Assert.NotNull(sample);
        Assert.Equal(utilization, sample.Value.UtilizationPercent);
        Assert.Equal(memory, sample.Value.MemoryUsedMiB);
    }

    [Theory]
    [InlineData("No devices were found")]
    [InlineData("[N/A], 1024")]
    [InlineData("")]
    public void GpuSampler_OtherLine_IsIgnored(string line)
    {
        Assert.Null(GpuSampler.ParseLine(line, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void ParseLink_ThreeValues_SetsEach()
    {
        var link = BenchCommand.ParseLink("20/50/30");

        Assert.Equal(20, link.UplinkMbps);
        Assert.Equal(50, link.DownlinkMbps);
        Assert.Equal(30, link.RoundTripMs);
        Assert.True(link.IsEnabled);
    }

    [Fact]
    public void ParseLink_Absent_IsOff()
    {
        Assert.False(BenchCommand.ParseLink(null).IsEnabled);
    }

    [Theory]
    [InlineData("20/50")]
    [InlineData("20/fast/30")]
    [InlineData("20/-1/30")]
    public void ParseLink_InvalidValue_IsRejected(string value)
    {
        var exception = Assert.Throws<CliException>(() => BenchCommand.ParseLink(value));
        Assert.Contains("--link", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentName_NestedKey_UsesDoubleUnderscores()
    {
        Assert.Equal("GANSTREAM_Edge__Cameras__0__MaxFrames", LoadPointRunner.EnvironmentName("Edge:Cameras:0:MaxFrames"));
    }
}
