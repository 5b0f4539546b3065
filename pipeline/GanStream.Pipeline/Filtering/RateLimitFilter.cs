namespace GanStream.Pipeline.Filtering;

/// <summary>Drops frames that come sooner than 1 / max-rate after the last frame sent, on the source's timeline.</summary>
public sealed class RateLimitFilter : IFrameFilter
{
    public const string FilterName = "rate";

    // Media timestamps are rounded to milliseconds; this slack keeps a 10 frame/s source at 10 frames/s under a
    // limit of 10 instead of dropping every other frame.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(2);

    private readonly TimeSpan minimumInterval;
    private TimeSpan? lastSent;

    public RateLimitFilter(double maxFramesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFramesPerSecond);
        minimumInterval = TimeSpan.FromSeconds(1.0 / maxFramesPerSecond);
    }

    public string Name => FilterName;

    public bool ShouldDrop(FrameAnalysis frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (lastSent is not { } last)
        {
            return false;
        }

        TimeSpan elapsed = frame.MediaTime - last;

        // A timeline that jumps backwards (a restarted stream) starts the interval again.
        return elapsed >= TimeSpan.Zero && elapsed + Tolerance < minimumInterval;
    }

    public void OnAccepted(FrameAnalysis frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lastSent = frame.MediaTime;
    }
}
