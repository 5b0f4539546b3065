using Microsoft.Extensions.Logging;

namespace GanStream.Edge.Output;

/// <summary>Log messages of the frame log; event ids 1200-1209.</summary>
internal static partial class FrameLogLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Frame log opened at {Path} (images: {ImageDirectory})")]
    public static partial void Opened(ILogger logger, string path, string imageDirectory);

    [LoggerMessage(
        EventId = 1201,
        Level = LogLevel.Information,
        Message = "Frame log {Path} closed with {Written} frame records; {Dropped} records were dropped because the " +
            "queue was full (Edge:FrameLog:Capacity)")]
    public static partial void Closed(ILogger logger, string path, long written, long dropped);

    [LoggerMessage(
        EventId = 1202,
        Level = LogLevel.Error,
        Message = "Frame log could not save the image of camera {CameraId} frame {Sequence} to {Path}: {Reason}; " +
            "{Suppressed} similar failures were not logged")]
    public static partial void ImageFailed(
        ILogger logger,
        string cameraId,
        ulong sequence,
        string path,
        string reason,
        long suppressed);
}
