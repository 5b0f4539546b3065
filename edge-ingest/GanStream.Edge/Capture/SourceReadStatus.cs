namespace GanStream.Edge.Capture;

/// <summary>What one read from a camera source returned.</summary>
public enum SourceReadStatus
{
    /// <summary>A frame; the caller owns its image.</summary>
    Frame,

    /// <summary>The source delivered a frame that cannot be used, for example one too large to decode.</summary>
    Rejected,

    /// <summary>A file reached its end, or a stream stopped delivering frames.</summary>
    Ended,

    /// <summary>Reading failed with an error.</summary>
    Failed,

    /// <summary>The read did not return within the watchdog timeout and was abandoned.</summary>
    Stalled,
}
