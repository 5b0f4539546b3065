namespace GanStream.Edge.Capture;

/// <summary>An opened camera source that delivers frames one at a time. Not thread-safe: one reader.</summary>
public interface IFrameSource : IDisposable
{
    CameraSourceSpec Spec { get; }

    /// <summary>Frame width the source reported when it was opened; 0 when unknown.</summary>
    int Width { get; }

    /// <summary>Frame height the source reported when it was opened; 0 when unknown.</summary>
    int Height { get; }

    /// <summary>Frame rate the source reports, or null when it reports none.</summary>
    double? FramesPerSecond { get; }

    /// <summary>Frame count the source declares (a file's header), or null when it declares none.</summary>
    long? DeclaredFrameCount { get; }

    /// <summary>Name of the reader, for example FFMPEG for OpenCV's FFmpeg backend.</summary>
    string BackendName { get; }

    /// <summary>Position of the last frame read in the source's timeline.</summary>
    TimeSpan Position { get; }

    /// <summary>
    /// Reads the next frame. Blocks until a frame arrives, the source ends, or the source's own read timeout passes.
    /// Implementations return a problem with the source as <see cref="SourceReadStatus.Failed"/> instead of throwing.
    /// </summary>
    SourceRead Read();
}
