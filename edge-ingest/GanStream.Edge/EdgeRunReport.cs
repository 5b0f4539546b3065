using GanStream.Edge.Accounting;

namespace GanStream.Edge;

/// <summary>What an edge did from start to the end of its input.</summary>
/// <param name="Cameras">Counts per camera.</param>
/// <param name="Videos">Output video path per camera.</param>
/// <param name="FailedCameras">Cameras that could not be opened or failed while running, with the reason.</param>
/// <param name="Elapsed">Time from the first frame read to the last result.</param>
public sealed record EdgeRunReport(
    IReadOnlyList<CameraSnapshot> Cameras,
    IReadOnlyDictionary<string, string> Videos,
    IReadOnlyDictionary<string, string> FailedCameras,
    TimeSpan Elapsed)
{
    /// <summary>True when the edge was stopped before its input ended, for example by SIGTERM.</summary>
    public bool Interrupted { get; init; }
}
