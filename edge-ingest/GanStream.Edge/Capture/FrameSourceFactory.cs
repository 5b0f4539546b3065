namespace GanStream.Edge.Capture;

/// <summary>Opens the reader that suits a camera source.</summary>
internal static class FrameSourceFactory
{
    /// <summary>
    /// Opens <c>http</c> and <c>https</c> URLs as MJPEG streams with <see cref="MjpegHttpSource"/>, and files,
    /// devices and other URLs with OpenCV.
    /// </summary>
    /// <exception cref="CameraSourceException">The source cannot be opened.</exception>
    public static IFrameSource Open(CameraSourceSpec spec, EdgeOptions options)
    {
        if (MjpegHttpSource.Handles(spec))
        {
            return MjpegHttpSource.Open(spec, options.SourceOpenTimeout, options.SourceReadTimeout, options.Capture);
        }

        return CameraSource.Open(spec, options.SourceOpenTimeout, options.SourceReadTimeout);
    }
}
