using ScottPlot;

namespace GanStream.Cli.Bench;

/// <summary>
/// Renders the report's charts as PNG files with ScottPlot 5, which draws with SkiaSharp and needs no display: the
/// latency distribution of each mode and load point as a cumulative distribution, and bars comparing the modes.
/// </summary>
internal static class BenchCharts
{
    private const int Width = 900;
    private const int Height = 520;

    /// <returns>File names of the charts written, relative to <paramref name="folder"/>.</returns>
    public static IReadOnlyList<string> Render(BenchReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        var written = new List<string>();
        if (RenderLatencyDistribution(report, Path.Combine(folder, "latency-cdf.png")))
        {
            written.Add("latency-cdf.png");
        }

        IReadOnlyList<ModeResult> measured = report.Modes.Where(m => m.Status == "ok" && m.Saturation is not null).ToList();
        if (measured.Count == 0)
        {
            return written;
        }

        RenderBars(
            measured,
            m => (m.Latency ?? m.Saturation)!.LatencyMs.P50,
            "Median latency at the latency load point",
            "latency p50 (ms)",
            Path.Combine(folder, "compare-latency.png"));
        written.Add("compare-latency.png");
        RenderBars(
            measured,
            m => BenchMarkdown.MachinePercent(m.Latency ?? m.Saturation),
            "CPU of edge and cloud worker at the latency load point",
            "CPU (% of the machine)",
            Path.Combine(folder, "compare-cpu.png"));
        written.Add("compare-cpu.png");
        RenderBars(
            measured,
            m => m.Saturation!.Uplink.EdgeFeatureBytesPerFrame,
            "Uplink bytes per frame (edge count)",
            "bytes per frame",
            Path.Combine(folder, "compare-uplink.png"));
        written.Add("compare-uplink.png");
        return written;
    }

    private static bool RenderLatencyDistribution(BenchReport report, string path)
    {
        var plot = new Plot();
        bool any = false;
        foreach (ModeResult mode in report.Modes.Where(m => m.Status == "ok"))
        {
            foreach (LoadPointResult point in new[] { mode.Saturation, mode.Latency }.OfType<LoadPointResult>())
            {
                double[] sorted = point.LatenciesMs.Order().ToArray();
                if (sorted.Length == 0)
                {
                    continue;
                }

                double[] fractions = Enumerable.Range(1, sorted.Length).Select(i => (double)i / sorted.Length).ToArray();
                var line = plot.Add.ScatterLine(sorted, fractions);
                line.LegendText = $"{mode.Mode} {point.Name}";
                line.LineWidth = 2;
                line.ConnectStyle = ConnectStyle.StepHorizontal;
                any = true;
            }
        }

        if (!any)
        {
            return false;
        }

        plot.Title("End-to-end latency, cumulative distribution");
        plot.XLabel("latency (ms)");
        plot.YLabel("fraction of frames");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
        return true;
    }

    private static void RenderBars(
        IReadOnlyList<ModeResult> modes,
        Func<ModeResult, double?> value,
        string title,
        string axis,
        string path)
    {
        var plot = new Plot();
        double[] positions = Enumerable.Range(0, modes.Count).Select(i => (double)i).ToArray();
        double[] values = modes.Select(m => value(m) ?? 0).ToArray();
        plot.Add.Bars(positions, values);
        plot.Axes.Bottom.SetTicks(positions, modes.Select(m => m.Mode).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(axis);
        plot.SavePng(path, Width, Height);
    }
}
