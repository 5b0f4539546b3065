namespace GanStream.Cli.Bench;

/// <summary>
/// Samples of a process's cumulative CPU time, in time order. The CPU used between two moments is interpolated
/// linearly between the samples around each moment, and clamped to the first and last sample.
/// </summary>
internal sealed class CpuTimeline
{
    private readonly List<CpuSample> samples = [];
    private readonly Lock gate = new();

    public CpuTimeline(string role)
    {
        Role = role;
    }

    /// <summary>What the process is in the bench, for example <c>edge</c> or <c>cloud</c>.</summary>
    public string Role { get; }

    public IReadOnlyList<CpuSample> Samples
    {
        get
        {
            lock (gate)
            {
                return [.. samples];
            }
        }
    }

    /// <summary>Appends a sample; samples must come in time order.</summary>
    public void Add(CpuSample sample)
    {
        lock (gate)
        {
            if (samples.Count > 0 && sample.Time < samples[^1].Time)
            {
                throw new ArgumentException("CPU samples must be added in time order.", nameof(sample));
            }

            samples.Add(sample);
        }
    }

    /// <summary>CPU seconds used from <paramref name="start"/> to <paramref name="end"/>, or null with fewer than 2 samples.</summary>
    public double? CpuSecondsBetween(DateTimeOffset start, DateTimeOffset end)
    {
        IReadOnlyList<CpuSample> copy = Samples;
        if (copy.Count < 2 || end < start)
        {
            return null;
        }

        return Interpolate(copy, end) - Interpolate(copy, start);
    }

    /// <summary>CPU seconds from the first to the last sample, or null with fewer than 2 samples.</summary>
    public double? TotalCpuSeconds()
    {
        IReadOnlyList<CpuSample> copy = Samples;
        return copy.Count < 2 ? null : copy[^1].CpuSeconds - copy[0].CpuSeconds;
    }

    /// <summary>
    /// Percent of one core used in each interval between consecutive samples, at the interval's end, for a chart.
    /// </summary>
    public IReadOnlyList<(DateTimeOffset Time, double PercentOfCore)> PercentTimeline()
    {
        IReadOnlyList<CpuSample> copy = Samples;
        var points = new List<(DateTimeOffset, double)>(Math.Max(0, copy.Count - 1));
        for (int i = 1; i < copy.Count; i++)
        {
            double seconds = (copy[i].Time - copy[i - 1].Time).TotalSeconds;
            if (seconds > 0)
            {
                points.Add((copy[i].Time, (copy[i].CpuSeconds - copy[i - 1].CpuSeconds) / seconds * 100));
            }
        }

        return points;
    }

    private static double Interpolate(IReadOnlyList<CpuSample> samples, DateTimeOffset time)
    {
        if (time <= samples[0].Time)
        {
            return samples[0].CpuSeconds;
        }

        for (int i = 1; i < samples.Count; i++)
        {
            if (time <= samples[i].Time)
            {
                CpuSample before = samples[i - 1];
                CpuSample after = samples[i];
                double span = (after.Time - before.Time).TotalSeconds;
                double fraction = span > 0 ? (time - before.Time).TotalSeconds / span : 1;
                return before.CpuSeconds + ((after.CpuSeconds - before.CpuSeconds) * fraction);
            }
        }

        return samples[^1].CpuSeconds;
    }
}
