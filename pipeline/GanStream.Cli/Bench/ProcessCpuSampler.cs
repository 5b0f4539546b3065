namespace GanStream.Cli.Bench;

/// <summary>
/// Reads the CPU time of the tracked processes from <c>/proc</c> at a fixed interval on a background task. A process
/// that has exited keeps the samples taken while it ran.
/// </summary>
internal sealed class ProcessCpuSampler : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<(int ProcessId, CpuTimeline Timeline)> tracked = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;

    public ProcessCpuSampler(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        sampling = Task.Run(() => RunAsync(interval, stop.Token));
    }

    /// <summary>Starts sampling a process and takes its first sample now.</summary>
    public CpuTimeline Track(string role, int processId)
    {
        var timeline = new CpuTimeline(role);
        Sample(processId, timeline);
        lock (gate)
        {
            tracked.Add((processId, timeline));
        }

        return timeline;
    }

    /// <summary>Takes one sample of every tracked process that still runs.</summary>
    public void SampleNow()
    {
        (int, CpuTimeline)[] current;
        lock (gate)
        {
            current = [.. tracked];
        }

        foreach ((int processId, CpuTimeline timeline) in current)
        {
            Sample(processId, timeline);
        }
    }

    /// <summary>Stops sampling a process, after one last sample if it still runs.</summary>
    public void Untrack(CpuTimeline timeline)
    {
        lock (gate)
        {
            int index = tracked.FindIndex(t => ReferenceEquals(t.Timeline, timeline));
            if (index >= 0)
            {
                Sample(tracked[index].ProcessId, timeline);
                tracked.RemoveAt(index);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    private static void Sample(int processId, CpuTimeline timeline)
    {
        if (ProcStat.TryReadCpuSeconds(processId) is { } seconds)
        {
            timeline.Add(new CpuSample(DateTimeOffset.UtcNow, seconds));
        }
    }

    private async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                SampleNow();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposal stops the loop.
        }
    }
}
