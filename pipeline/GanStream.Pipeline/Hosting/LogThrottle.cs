using System.Diagnostics;

namespace GanStream.Pipeline.Hosting;

/// <summary>Lets a repeated log message through at most once per interval. Thread-safe.</summary>
public sealed class LogThrottle
{
    private readonly TimeSpan interval;
    private long lastTimestamp;

    public LogThrottle(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        this.interval = interval;
    }

    /// <summary>Returns true for the first call and then for the first call after each interval.</summary>
    public bool TryEnter()
    {
        long now = Stopwatch.GetTimestamp();
        long last = Interlocked.Read(ref lastTimestamp);
        if (last != 0 && Stopwatch.GetElapsedTime(last, now) < interval)
        {
            return false;
        }

        // Of two threads that both saw the interval pass, only the one that swaps the timestamp logs.
        return Interlocked.CompareExchange(ref lastTimestamp, now, last) == last;
    }
}
