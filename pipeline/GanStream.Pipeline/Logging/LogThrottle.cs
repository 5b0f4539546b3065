using System.Collections.Concurrent;

namespace GanStream.Pipeline.Logging;

/// <summary>
/// Rate limit for a log line that can repeat at frame rate: per key, one line per interval is written and the lines
/// held back in between are counted, so the next line written can report them. Thread-safe.
/// </summary>
public sealed class LogThrottle
{
    /// <summary>Maximum number of keys kept; past it the table is cleared, which lets one more line per key through.</summary>
    public const int MaxKeys = 4096;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly TimeProvider timeProvider;
    private readonly long intervalTicks;

    /// <param name="interval">Shortest time between two lines with the same key.</param>
    /// <param name="timeProvider">Clock; the system clock when null.</param>
    public LogThrottle(TimeSpan interval, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        this.timeProvider = timeProvider ?? TimeProvider.System;
        intervalTicks = (long)(interval.TotalSeconds * this.timeProvider.TimestampFrequency);
    }

    /// <summary>Decides whether a line with <paramref name="key"/> is written now.</summary>
    /// <param name="key">What makes two lines the same, for example a camera id and a drop reason.</param>
    /// <param name="suppressed">Lines with this key held back since the last one written; 0 when none.</param>
    /// <returns>True when the caller writes the line.</returns>
    public bool TryAcquire(string key, out long suppressed)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (entries.Count >= MaxKeys)
        {
            entries.Clear();
        }

        long now = timeProvider.GetTimestamp();
        Entry entry = entries.GetOrAdd(key, static _ => new Entry());
        lock (entry)
        {
            if (entry.HasWritten && now - entry.LastWritten < intervalTicks)
            {
                entry.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.LastWritten = now;
            entry.HasWritten = true;
            return true;
        }
    }

    private sealed class Entry
    {
        public long LastWritten { get; set; }

        public bool HasWritten { get; set; }

        public long Suppressed { get; set; }
    }
}
