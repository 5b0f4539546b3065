using OpenCvSharp;

namespace GanStream.Edge.Capture;

/// <summary>One frame read from a camera; the frame owns <see cref="Image"/> and disposes it.</summary>
public sealed class CapturedFrame : IDisposable
{
    public CapturedFrame(string cameraId, ulong sequence, DateTimeOffset captureTime, TimeSpan mediaTime, Mat image)
    {
        CameraId = cameraId;
        Sequence = sequence;
        CaptureTime = captureTime;
        MediaTime = mediaTime;
        Image = image;
        CaptureTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public string CameraId { get; }

    /// <summary>Position in the camera's stream, counting every frame read from 0.</summary>
    public ulong Sequence { get; }

    /// <summary>Wall clock when the frame was read.</summary>
    public DateTimeOffset CaptureTime { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp when the frame was read, for latencies.</summary>
    public long CaptureTimestamp { get; }

    /// <summary>Position of the frame in the source's own timeline; for live sources, time since the stream opened.</summary>
    public TimeSpan MediaTime { get; }

    /// <summary>8-bit BGR image.</summary>
    public Mat Image { get; }

    public void Dispose() => Image.Dispose();
}
