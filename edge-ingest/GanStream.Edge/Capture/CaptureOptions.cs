namespace GanStream.Edge.Capture;

/// <summary>How cameras are read and reconnected, and the limits on their frames (section <c>Edge:Capture</c>).</summary>
public sealed class CaptureOptions
{
    /// <summary>Wait before the first attempt to reopen a lost live source. Default 1 second.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Maximum wait between two attempts to reopen a live source. The wait doubles from
    /// <see cref="ReconnectInitialDelay"/> up to this value. Default 30 seconds.
    /// </summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Failed attempts in a row after which a live camera is given up and reported as failed; 0 (default) keeps
    /// trying until the edge stops, so a camera that comes back after an outage is read again.
    /// </summary>
    public int MaxReconnectAttempts { get; set; }

    /// <summary>
    /// Watchdog on every read and open: a source whose call has not returned after this time is abandoned and opened
    /// again. It backs up the source's own read timeout (<c>Edge:SourceReadTimeout</c>), so keep it longer. Default 30
    /// seconds.
    /// </summary>
    public TimeSpan ReadStallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Widest frame accepted, in pixels; wider ones are dropped and counted. Default 7680 (8K UHD).</summary>
    public int MaxFrameWidth { get; set; } = 7680;

    /// <summary>Tallest frame accepted, in pixels; taller ones are dropped and counted. Default 4320 (8K UHD).</summary>
    public int MaxFrameHeight { get; set; } = 4320;

    /// <summary>Largest compressed frame read from an HTTP MJPEG stream, in bytes. Default 16 MiB.</summary>
    public int MaxStreamFrameBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Checks the settings and throws with the name of the first invalid key.</summary>
    public void Validate()
    {
        RequireDuration(ReconnectInitialDelay, nameof(ReconnectInitialDelay));
        RequireDuration(ReconnectMaxDelay, nameof(ReconnectMaxDelay));
        RequireDuration(ReadStallTimeout, nameof(ReadStallTimeout));
        if (ReconnectMaxDelay < ReconnectInitialDelay)
        {
            throw new ArgumentException(
                $"Edge:Capture:ReconnectMaxDelay is {ReconnectMaxDelay}, shorter than ReconnectInitialDelay " +
                $"{ReconnectInitialDelay}; make it at least as long.");
        }

        RequireRange(MaxReconnectAttempts, 0, 1_000_000, nameof(MaxReconnectAttempts));
        RequireRange(MaxFrameWidth, 1, 65_535, nameof(MaxFrameWidth));
        RequireRange(MaxFrameHeight, 1, 65_535, nameof(MaxFrameHeight));
        RequireRange(MaxStreamFrameBytes, 1024, 1 << 30, nameof(MaxStreamFrameBytes));
    }

    private static void RequireDuration(TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"Edge:Capture:{key} is {value}; use more than 0 and at most 1 hour.");
        }
    }

    private static void RequireRange(int value, int min, int max, string key)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"Edge:Capture:{key} is {value}; use {min} to {max}.");
        }
    }
}
