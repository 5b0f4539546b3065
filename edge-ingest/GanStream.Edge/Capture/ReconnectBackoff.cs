namespace GanStream.Edge.Capture;

/// <summary>
/// Waits between attempts to reopen a lost source: the wait doubles from an initial delay up to a maximum, and each
/// wait is shortened by up to 20% at random so that cameras lost together do not reconnect in step. Not thread-safe.
/// </summary>
internal sealed class ReconnectBackoff
{
    private const double MaxJitter = 0.2;

    private readonly TimeSpan initialDelay;
    private readonly TimeSpan maxDelay;
    private readonly Random random;

    public ReconnectBackoff(TimeSpan initialDelay, TimeSpan maxDelay, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, initialDelay);
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.random = random ?? Random.Shared;
    }

    /// <summary>Attempts since the last <see cref="Reset"/>.</summary>
    public int Attempts { get; private set; }

    /// <summary>Counts one more attempt and returns the wait before it.</summary>
    public TimeSpan NextDelay()
    {
        Attempts++;
        double doublings = Math.Min(Attempts - 1, 30);
        double doubled = initialDelay.TotalMilliseconds * Math.Pow(2, doublings);
        double milliseconds = Math.Min(doubled, maxDelay.TotalMilliseconds);
        double jitter = 1 - (MaxJitter * random.NextDouble());
        return TimeSpan.FromMilliseconds(milliseconds * jitter);
    }

    /// <summary>Starts again from the initial delay, after the source delivered a frame.</summary>
    public void Reset() => Attempts = 0;
}
