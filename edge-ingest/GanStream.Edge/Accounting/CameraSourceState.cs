namespace GanStream.Edge.Accounting;

/// <summary>State of a camera's source, for the readiness check and <c>ganstream_edge_camera_source_open</c>.</summary>
public enum CameraSourceState
{
    /// <summary>The source has not been opened yet.</summary>
    NotOpened,

    /// <summary>The source is open and frames are read from it.</summary>
    Open,

    /// <summary>The live source was lost or could not be opened yet, and it is being opened again with backoff.</summary>
    Reconnecting,

    /// <summary>A file or stream came to its end, or the edge stopped reading it; not a failure.</summary>
    Ended,

    /// <summary>The source could not be opened, or reading it failed.</summary>
    Failed,

    /// <summary>The camera was removed from the running edge; its counts stay in the run report.</summary>
    Removed,
}
