namespace GanStream.Cli.Bench;

/// <summary>A camera's counts when its edge stopped, from the frame log's <c>camera</c> record.</summary>
internal sealed record CameraTotals(
    string Camera,
    long FramesRead,
    long FramesFiltered,
    long FramesDropped,
    long FramesSent,
    long FeatureBytesSent,
    long FramesSynthesized,
    long FramesRejected,
    long FramesExpired,
    long RecordsDropped);
