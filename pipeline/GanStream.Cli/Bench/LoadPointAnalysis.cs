using GanStream.Pipeline.Transport;

namespace GanStream.Cli.Bench;

/// <summary>Turns a load point's frame log, CPU samples and broker records into its figures.</summary>
internal static class LoadPointAnalysis
{
    public static LoadPointOutcome Analyze(LoadPointInputs inputs, GpuSampler gpu, LinkOptions link)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(link);

        var notes = new List<string>(inputs.Notes);
        (IReadOnlyList<FrameRecord> frames, IReadOnlyList<CameraTotals> cameras) = FrameLogReader.Read(inputs.FrameLogPath);
        CameraTotals? camera = cameras.FirstOrDefault();
        if (camera is null)
        {
            notes.Add("the frame log has no camera totals, because the edge matched no result or did not stop cleanly");
        }
        else
        {
            if (camera.RecordsDropped > 0)
            {
                notes.Add($"the frame log dropped {camera.RecordsDropped} records because it fell behind");
            }

            if (camera.FramesRejected > 0 || camera.FramesExpired > 0 || camera.FramesDropped > 0)
            {
                notes.Add($"of {camera.FramesSent} frames sent, {camera.FramesRejected} were rejected by the worker and " +
                    $"{camera.FramesExpired} expired without a result; {camera.FramesDropped} were dropped at the edge");
            }
        }

        (DateTimeOffset Start, DateTimeOffset End)? window = StreamWindow(frames);
        double? streamSeconds = window is { } w ? (w.End - w.Start).TotalSeconds : null;
        double? fps = streamSeconds is > 0 ? frames.Count / streamSeconds : null;

        double? edgeBytesPerFrame = camera is { FramesSent: > 0 } ? (double)camera.FeatureBytesSent / camera.FramesSent : null;
        UplinkBytes uplink = inputs.ReadBroker is { } read
            ? read() with { EdgeFeatureBytesPerFrame = edgeBytesPerFrame }
            : new UplinkBytes(edgeBytesPerFrame, null, 0, 0, new Dictionary<string, long>());

        IReadOnlyList<ProcessCpu> cpu = window is { } cpuWindow
            ? inputs.Timelines.Select(t => CpuOver(t, cpuWindow.Start, cpuWindow.End)).ToList()
            : inputs.Timelines.Select(t => new ProcessCpu(t.Role, null, null, null)).ToList();
        if (window is { } span && (span.End - span.Start).TotalSeconds < 2)
        {
            notes.Add("the stream lasted under 2 s, so its CPU figures rest on few samples");
        }

        Distribution overhead = Distribution.Of(frames.Select(f => f.OverheadMs));
        if (link.RoundTripMs > 0 && BenchModes.UsesCloud(inputs.Mode) && overhead.P50 < link.RoundTripMs)
        {
            notes.Add(FormattableString.Invariant(
                $"the median overhead ({overhead.P50:F1} ms) is below the emulated round trip ({link.RoundTripMs:G4} ms), so the services did not apply the link emulation"));
        }

        var result = new LoadPointResult(
            inputs.Spec.Name,
            inputs.Spec.RateCap,
            inputs.Spec.RealTime,
            inputs.Spec.MaxFrames,
            camera,
            frames.Count,
            streamSeconds,
            fps,
            Distribution.Of(frames.Select(f => f.LatencyMs)),
            overhead,
            Distribution.Of(frames.Select(f => f.InferenceMs)),
            Distribution.Of(frames.Select(f => f.QueueMs)),
            Distribution.Of(frames.Select(f => f.DecodeMs)),
            Distribution.Of(frames.Select(f => f.BatchWaitMs)),
            Distribution.Of(frames.Select(f => f.EncodeMs)),
            frames.Count > 0 ? frames.Average(f => f.BatchSize) : null,
            uplink,
            frames.Count > 0 ? frames.Average(f => (double)f.ResultBytes) : null,
            cpu,
            window is { } gpuWindow ? GpuOver(gpu, gpuWindow.Start, gpuWindow.End) : GpuOver(gpu, inputs.Started, DateTimeOffset.UtcNow),
            MostCommon(frames.Select(f => f.Model)),
            MostCommon(frames.Select(f => f.ExecutionProvider)),
            inputs.ExitCodes,
            inputs.Logs,
            Timeline(inputs.Timelines, inputs.Started),
            frames.Select(f => Math.Round(f.LatencyMs, 3)).ToList(),
            notes);
        return new LoadPointOutcome(result, frames, inputs.ImageDirectory);
    }

    /// <summary>From the first frame's capture to the last frame's result, or null without frames.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? StreamWindow(IReadOnlyList<FrameRecord> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
        {
            return null;
        }

        return (frames.Min(f => f.CapturedAt), frames.Max(f => f.CompletedAt));
    }

    /// <summary>CPU of a process between two moments, as percent of one core and of the whole machine.</summary>
    public static ProcessCpu CpuOver(CpuTimeline timeline, DateTimeOffset start, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        double seconds = (end - start).TotalSeconds;
        double? cpuSeconds = timeline.CpuSecondsBetween(start, end);
        if (cpuSeconds is null || seconds <= 0)
        {
            return new ProcessCpu(timeline.Role, cpuSeconds, null, null);
        }

        double percentOfCore = cpuSeconds.Value / seconds * 100;
        return new ProcessCpu(timeline.Role, cpuSeconds, percentOfCore, percentOfCore / Environment.ProcessorCount);
    }

    private static GpuUse GpuOver(GpuSampler gpu, DateTimeOffset start, DateTimeOffset end)
    {
        if (!gpu.Available)
        {
            return new GpuUse(false, "no GPU (nvidia-smi not found)", 0, null, null);
        }

        IReadOnlyList<GpuSample> samples = gpu.Between(start, end);
        if (samples.Count == 0)
        {
            return new GpuUse(true, "nvidia-smi gave no sample during the stream", 0, null, null);
        }

        return new GpuUse(
            true,
            "nvidia-smi, 1 s samples over all GPUs",
            samples.Count,
            samples.Average(s => s.UtilizationPercent),
            samples.Max(s => s.MemoryUsedMiB));
    }

    private static IReadOnlyList<CpuTimelinePoint> Timeline(IReadOnlyList<CpuTimeline> timelines, DateTimeOffset origin) =>
        timelines
            .SelectMany(t => t.PercentTimeline().Select(p => new CpuTimelinePoint(
                Math.Round((p.Time - origin).TotalSeconds, 3),
                t.Role,
                Math.Round(p.PercentOfCore, 1))))
            .OrderBy(p => p.Seconds)
            .ToList();

    private static string? MostCommon(IEnumerable<string> values) =>
        values.Where(v => v.Length > 0).GroupBy(v => v, StringComparer.Ordinal).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key;
}
