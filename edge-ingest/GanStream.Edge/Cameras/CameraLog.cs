using Microsoft.Extensions.Logging;

namespace GanStream.Edge.Cameras;

/// <summary>Log messages of cameras attached to and removed from a running edge; event ids 1200-1299.</summary>
internal static partial class CameraLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Camera {CameraId} was attached: {Source}")]
    public static partial void CameraAttached(ILogger logger, string cameraId, string source);

    [LoggerMessage(
        EventId = 1201,
        Level = LogLevel.Information,
        Message = "Camera {CameraId} was removed after {ElapsedMs:F0} ms: {Read} frames read, {Synthesized} " +
            "synthesized, {Dropped} dropped, {Expired} expired")]
    public static partial void CameraRemoved(
        ILogger logger,
        string cameraId,
        double elapsedMs,
        long read,
        long synthesized,
        long dropped,
        long expired);

    [LoggerMessage(
        EventId = 1202,
        Level = LogLevel.Warning,
        Message = "Camera {CameraId} was removed with {Frames} frames still waiting for results after " +
            "{TimeoutSeconds} s (Edge:ShutdownTimeout); they are counted as dropped (camera-removed)")]
    public static partial void InFlightDroppedAtRemoval(ILogger logger, string cameraId, int frames, double timeoutSeconds);

    [LoggerMessage(
        EventId = 1203,
        Level = LogLevel.Information,
        Message = "Every camera has ended; the edge accepts no new camera and drains its results")]
    public static partial void InputEnded(ILogger logger);
}
