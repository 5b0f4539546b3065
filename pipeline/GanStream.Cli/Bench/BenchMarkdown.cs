using System.Globalization;
using System.Text;

namespace GanStream.Cli.Bench;

/// <summary>
/// Writes <c>bench.md</c>: the setting, table 1 (latency, CPU, GPU per mode), table 2 (image quality per mode), the
/// detailed table of both load points, the bare ONNX Runtime baseline, notes and charts.
/// </summary>
internal static class BenchMarkdown
{
    public const string NotComputed = "not computed";
    public const string NotAvailable = "n/a";

    /// <summary>Pipeline frame rate over bare ONNX Runtime frame rate that hybrid mode should reach.</summary>
    public const double RatioTarget = 0.9;

    /// <summary>Median per-frame overhead (latency less inference) that hybrid mode should stay within, in ms.</summary>
    public const double OverheadTargetMs = 5;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Write(BenchReport report, IReadOnlyList<string> charts)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(charts);
        var text = new StringBuilder();
        WriteSetting(text, report);
        WriteTableOne(text, report);
        WriteTableTwo(text, report);
        WriteDetails(text, report);
        WriteBaseline(text, report);
        WriteNotes(text, report);
        foreach (string chart in charts)
        {
            text.AppendLine(C, $"![{Path.GetFileNameWithoutExtension(chart)}]({chart})");
            text.AppendLine();
        }

        return text.ToString();
    }

    private static void WriteSetting(StringBuilder text, BenchReport report)
    {
        BenchSettingsInfo s = report.Settings;
        text.AppendLine("# GanStream bench");
        text.AppendLine();
        text.AppendLine(C, $"- date: {report.Date:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(C, $"- command: `{report.CommandLine}`");
        text.AppendLine(C, $"- machine: {report.Machine.Description}");
        text.AppendLine(C, $"- versions: {string.Join(", ", report.Versions.Select(v => $"{v.Key} {v.Value}"))}");
        text.AppendLine(C, $"- link: {report.Link.Description}");
        text.AppendLine(C, $"- clip: `{s.Input}` ({s.ClipFrames} frames at {s.ClipFramesPerSecond:G3} frames/s); " +
            $"{s.Frames} frames read per mode at saturation, {s.LatencyFrames} frames sent at the latency load point");
        string edgeModel = s.EdgeModel ?? "the edge's default";
        text.AppendLine(C, $"- models: {s.Model} in the cloud worker and the baseline, {edgeModel} in edge-only mode; " +
            $"batches of up to {s.MaxBatch}; execution provider requested: {s.RequestedExecutionProvider}");
        text.AppendLine();
    }

    private static void WriteTableOne(StringBuilder text, BenchReport report)
    {
        text.AppendLine("## Table 1: latency and resource use");
        text.AppendLine();
        text.AppendLine("| mode | latency (ms) | CPU (%) | GPU (%) |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (ModeResult mode in report.Modes)
        {
            // A mode that did not run as itself shows no figures here; the details table keeps them, labelled.
            LoadPointResult? point = mode.Status == "ok" ? mode.Latency ?? mode.Saturation : null;
            string latency = point?.LatencyMs.P50 is { } p50 ? $"{p50:F0} (p95 {point.LatencyMs.P95:F0})" : NotAvailable;
            string cpu = MachinePercent(point) is { } percent ? percent.ToString("F0", C) : NotAvailable;
            string gpu = point is null ? NotAvailable : point.Gpu.Available
                ? point.Gpu.MeanUtilizationPercent?.ToString("F0", C) ?? NotAvailable
                : "no GPU";
            text.AppendLine(C, $"| {Label(mode)} | {latency} | {cpu} | {gpu} |");
        }

        text.AppendLine();
        text.AppendLine("Latency: median end-to-end latency (capture to result at the edge) at the latency load point, " +
            "95th percentile in brackets. CPU: edge and cloud worker together, in percent of the whole machine " +
            "(all logical processors), over the same stream; the broker is not included. GPU: mean utilization from " +
            "nvidia-smi.");
        text.AppendLine();
    }

    private static void WriteTableTwo(StringBuilder text, BenchReport report)
    {
        text.AppendLine("## Table 2: image quality");
        text.AppendLine();
        text.AppendLine("| mode | IS | FID | PSNR (dB) | SSIM | FD (ResNet-18) | FD noise floor | frames |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (ModeResult mode in report.Modes)
        {
            ModeQuality? q = mode.Quality;
            if (q is null)
            {
                text.AppendLine(C, $"| {Label(mode)} | {NotComputed} | {NotComputed} | {NotComputed} | {NotComputed} " +
                    $"| {NotComputed} | {NotComputed} | 0 |");
                continue;
            }

            string inception = q.InceptionScore is { } score
                ? string.Create(C, $"{score:F2} ± {q.InceptionScoreStandardDeviation:F2}")
                : NotComputed;
            string fid = q.Fid is { } f ? f.ToString("F1", C) : NotComputed;
            text.AppendLine(C, $"| {Label(mode)} | {inception} | {fid} | {Format(q.MeanPsnr, "F2")} | " +
                $"{Format(q.MeanSsim, "F4")} | {Format(q.FdResNet18, "F2")} | {Format(q.FdResNet18NoiseFloor, "F2")} | {q.Frames} |");
        }

        text.AppendLine();
        text.AppendLine("Synthesized frames of the saturation load point, as the worker encoded them, against the clip's " +
            "frames with the same sequence number. IS and FID need an Inception-v3 file (`--inception`) and are " +
            "otherwise not computed. FD (ResNet-18) is a Fréchet distance on ResNet-18 features, not FID; its noise " +
            "floor is the FD between the original frames at even and at odd positions.");
        text.AppendLine();
    }

    private static void WriteDetails(StringBuilder text, BenchReport report)
    {
        text.AppendLine("## Details");
        text.AppendLine();
        text.AppendLine("| mode | load | rate cap (frames/s) | frames read / sent / synthesized | frames/s | latency p50 / p95 / p99 (ms) " +
            "| overhead p50 (ms) | queue / decode / batch wait / encode p50 (ms) | inference p50 (ms) | batch size | uplink bytes/frame (edge / broker) | downlink bytes/frame " +
            "| CPU edge / cloud / bench (% of a core) | model | execution provider |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (ModeResult mode in report.Modes)
        {
            foreach (LoadPointResult point in new[] { mode.Saturation, mode.Latency }.OfType<LoadPointResult>())
            {
                CameraTotals? camera = point.Camera;
                string counts = camera is null
                    ? $"? / ? / {point.FramesSynthesized}"
                    : $"{camera.FramesRead} / {camera.FramesSent} / {point.FramesSynthesized}";
                string latency = $"{Format(point.LatencyMs.P50, "F0")} / {Format(point.LatencyMs.P95, "F0")} / " +
                    $"{Format(point.LatencyMs.P99, "F0")}";
                string uplink = $"{Format(point.Uplink.EdgeFeatureBytesPerFrame, "F0")} / {Format(point.Uplink.BrokerBytesPerMessage, "F0")}";
                string cpu = string.Join(" / ", new[] { "edge", "cloud", "bench" }.Select(role => CorePercent(point, role)));
                string stages = string.Join(
                    " / ",
                    new[] { point.QueueMs, point.DecodeMs, point.BatchWaitMs, point.EncodeMs }.Select(d => Format(d.P50, "F1")));
                text.AppendLine(C, $"| {Label(mode)} | {point.Name} | {Format(point.RateCapFramesPerSecond, "G3")} | {counts} " +
                    $"| {Format(point.FramesPerSecond, "F2")} | {latency} | {Format(point.OverheadMs.P50, "F1")} | {stages} " +
                    $"| {Format(point.InferenceMs.P50, "F0")} | {Format(point.MeanBatchSize, "F2")} | {uplink} " +
                    $"| {Format(point.DownlinkBytesPerFrame, "F0")} | {cpu} | {point.Model ?? NotAvailable} " +
                    $"| {point.ExecutionProvider ?? NotAvailable} |");
            }
        }

        text.AppendLine();
        text.AppendLine("frames/s: frames synthesized divided by the time from the first frame's capture to the last " +
            "frame's result. Overhead: per frame, latency less the inference time of its batch. Queue, decode, batch " +
            "wait and encode are the worker's stage timings (queue: from the request's Kafka timestamp to the worker " +
            "reading it). Uplink: the edge's " +
            "compressed image bytes per frame sent, and the broker's key, value and header bytes per record of the " +
            "features topic. CPU: utime + stime from /proc/PID/stat over the stream, in percent of one core; bench " +
            "is the process that hosts the embedded broker.");
        text.AppendLine();
    }

    private static void WriteBaseline(StringBuilder text, BenchReport report)
    {
        if (report.Baseline is not { } b)
        {
            return;
        }

        text.AppendLine("## Bare ONNX Runtime baseline");
        text.AppendLine();
        text.AppendLine(C, $"{b.Model} on {b.ExecutionProvider}, {b.Frames} frames of {b.InputWidth}x{b.InputHeight} in " +
            $"{b.Batches} batches of up to {b.MaxBatch}, no broker, decoding or encoding: **{b.FramesPerSecond:F2} frames/s**, " +
            $"batch latency p50 {Format(b.BatchMs.P50, "F0")} ms, p95 {Format(b.BatchMs.P95, "F0")} ms.");
        text.AppendLine();
        LoadPointResult? hybrid = report.Modes.FirstOrDefault(m => m.Mode == BenchModes.Hybrid)?.Saturation;
        if (report.HybridToBareRatio is { } ratio && hybrid is not null)
        {
            string met = ratio >= RatioTarget ? "meets" : "misses";
            text.AppendLine(C, $"Hybrid pipeline at saturation: {hybrid.FramesPerSecond:F2} frames/s, " +
                $"**{ratio * 100:F0} %** of the bare rate ({met} the target of {RatioTarget * 100:F0} %).");
        }

        ModeResult? hybridMode = report.Modes.FirstOrDefault(m => m.Mode == BenchModes.Hybrid);
        LoadPointResult? paced = hybridMode?.Latency ?? hybrid;
        if (paced?.OverheadMs.P50 is { } overhead)
        {
            string met = overhead <= OverheadTargetMs ? "meets" : "misses";
            text.AppendLine(C, $"Hybrid median overhead at the {paced.Name} load point: **{overhead:F1} ms** per frame " +
                $"({met} the target of {OverheadTargetMs:F0} ms on loopback).");
        }

        text.AppendLine();
    }

    private static void WriteNotes(StringBuilder text, BenchReport report)
    {
        var lines = report.Notes.Select(n => $"- {n}").ToList();
        foreach (ModeResult mode in report.Modes)
        {
            lines.AddRange(mode.Notes.Select(n => $"- {mode.Mode}: {n}"));
            foreach (LoadPointResult point in new[] { mode.Saturation, mode.Latency }.OfType<LoadPointResult>())
            {
                lines.AddRange(point.Notes.Select(n => $"- {mode.Mode} {point.Name}: {n}"));
            }

            if (mode.Quality is { } quality)
            {
                lines.AddRange(quality.Notes.Distinct().Select(n => $"- {mode.Mode} quality: {n}"));
            }
        }

        if (lines.Count == 0)
        {
            return;
        }

        text.AppendLine("## Notes");
        text.AppendLine();
        foreach (string line in lines)
        {
            text.AppendLine(line);
        }

        text.AppendLine();
    }

    private static string Label(ModeResult mode) => mode.Status == "ok" ? mode.Mode : $"{mode.Mode} ({mode.Status})";

    /// <summary>CPU of the edge and the cloud worker together, in percent of the machine.</summary>
    public static double? MachinePercent(LoadPointResult? point)
    {
        if (point is null)
        {
            return null;
        }

        double[] values = point.Cpu
            .Where(c => c.Role is "edge" or "cloud")
            .Select(c => c.PercentOfMachine)
            .OfType<double>()
            .ToArray();
        return values.Length == 0 ? null : values.Sum();
    }

    private static string CorePercent(LoadPointResult point, string role) =>
        point.Cpu.FirstOrDefault(c => c.Role == role)?.PercentOfCore is { } percent ? percent.ToString("F0", C) : "-";

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format, C) : NotAvailable;
}
