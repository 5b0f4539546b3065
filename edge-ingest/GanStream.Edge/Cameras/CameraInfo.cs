using GanStream.Edge.Accounting;

namespace GanStream.Edge.Cameras;

/// <summary>One camera of a running edge, as <c>GET /cameras</c> lists it.</summary>
/// <param name="Source">The source with any password in a URL replaced by <c>***</c>.</param>
/// <param name="Attached">True for a camera attached at run time, false for a configured one.</param>
/// <param name="Removing">True while the camera is being removed.</param>
public sealed record CameraInfo(
    string Id,
    string Source,
    CameraSourceState State,
    bool Attached,
    bool Removing,
    bool RealTime,
    bool Loop,
    long MaxFrames,
    CameraSnapshot Counts);
