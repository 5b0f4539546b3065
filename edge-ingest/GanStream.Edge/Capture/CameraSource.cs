using OpenCvSharp;

namespace GanStream.Edge.Capture;

/// <summary>An opened OpenCV <see cref="VideoCapture"/> for one camera source. Not thread-safe: one reader.</summary>
public sealed class CameraSource : IFrameSource
{
    // cv::CAP_PROP_OPEN_TIMEOUT_MSEC and cv::CAP_PROP_READ_TIMEOUT_MSEC (OpenCV 4.5.2 and later), which the
    // VideoCaptureProperties enum of OpenCvSharp 4.13 does not name.
    private const int OpenTimeoutProperty = 53;
    private const int ReadTimeoutProperty = 54;

    private readonly VideoCapture capture;

    private CameraSource(CameraSourceSpec spec, VideoCapture capture)
    {
        Spec = spec;
        this.capture = capture;
        Width = capture.FrameWidth;
        Height = capture.FrameHeight;
        double fps = capture.Fps;
        FramesPerSecond = double.IsFinite(fps) && fps is > 0 and < 1000 ? fps : null;
        int frameCount = capture.FrameCount;
        DeclaredFrameCount = spec.Kind == CameraSourceKind.File && frameCount > 0 ? frameCount : null;
        BackendName = capture.GetBackendName();
    }

    public CameraSourceSpec Spec { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Frame rate the source reports, or null when it reports none.</summary>
    public double? FramesPerSecond { get; }

    /// <summary>Frame count in a file's header; null for streams and devices.</summary>
    public long? DeclaredFrameCount { get; }

    /// <summary>OpenCV video I/O backend, for example FFMPEG or V4L2.</summary>
    public string BackendName { get; }

    /// <summary>Opens a source.</summary>
    /// <param name="openTimeout">Limit for opening a network stream.</param>
    /// <param name="readTimeout">Limit for one read from a network stream.</param>
    /// <exception cref="CameraSourceException">The source cannot be opened, is empty, or is not a video.</exception>
    public static CameraSource Open(CameraSourceSpec spec, TimeSpan openTimeout, TimeSpan readTimeout)
    {
        ArgumentNullException.ThrowIfNull(spec);

        if (spec.Kind == CameraSourceKind.File && new FileInfo(spec.Location).Length == 0)
        {
            throw new CameraSourceException(
                $"Could not open camera source '{spec.DisplayName}': the file is empty (0 bytes).");
        }

        VideoCapture capture = spec.Kind switch
        {
            CameraSourceKind.Device => new VideoCapture(spec.DeviceIndex, VideoCaptureAPIs.ANY),
            CameraSourceKind.Url => OpenNetwork(spec.Location, openTimeout, readTimeout),
            _ => new VideoCapture(spec.Location, VideoCaptureAPIs.ANY),
        };

        if (!capture.IsOpened())
        {
            capture.Dispose();
            string check = spec.Kind switch
            {
                CameraSourceKind.Url => "Check that the URL answers with a video stream.",
                CameraSourceKind.Device => "Check that the device exists and no other program uses it.",
                _ => "Check that the file is a video (for example AVI or MP4).",
            };
            throw new CameraSourceException(
                $"Could not open camera source '{spec.DisplayName}': OpenCV found no readable video in it. {check}");
        }

        return new CameraSource(spec, capture);
    }

    /// <inheritdoc/>
    public SourceRead Read()
    {
        var image = new Mat();
        try
        {
            if (capture.Read(image) && !image.Empty())
            {
                return SourceRead.FromImage(image);
            }

            image.Dispose();
            return SourceRead.Ended;
        }
        catch (OpenCVException exception)
        {
            image.Dispose();
            return SourceRead.Fail($"OpenCV failed to read a frame: {exception.Message}");
        }
    }

    /// <summary>Position of the last frame read in the source's timeline.</summary>
    public TimeSpan Position
    {
        get
        {
            double milliseconds = capture.PosMsec;
            return double.IsFinite(milliseconds) && milliseconds >= 0 ? TimeSpan.FromMilliseconds(milliseconds) : TimeSpan.Zero;
        }
    }

    public void Dispose() => capture.Dispose();

    private static VideoCapture OpenNetwork(string url, TimeSpan openTimeout, TimeSpan readTimeout)
    {
        // FFmpeg honours these limits, so a stream that stops answering ends a read instead of blocking it forever.
        int[] parameters =
        [
            OpenTimeoutProperty, (int)openTimeout.TotalMilliseconds,
            ReadTimeoutProperty, (int)readTimeout.TotalMilliseconds,
        ];
        return new VideoCapture(url, VideoCaptureAPIs.FFMPEG, parameters);
    }
}
