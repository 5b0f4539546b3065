using GanStream.Edge.Capture;
using OpenCvSharp;

namespace GanStream.Tests.Support;

/// <summary>
/// A live camera source that returns the given images one by one, then ends; for frame formats that no OpenCV
/// capture returns, such as 16-bit or grey frames. The images are handed over to the reader, which owns them.
/// </summary>
public sealed class ScriptedFrameSource(IEnumerable<Mat> images) : IFrameSource
{
    private readonly Queue<Mat> remaining = new(images);

    public CameraSourceSpec Spec { get; } = new(CameraSourceKind.Url, "scripted://camera", -1);

    public int Width => 0;

    public int Height => 0;

    public double? FramesPerSecond => null;

    public long? DeclaredFrameCount => null;

    public string BackendName => "scripted";

    public TimeSpan Position => TimeSpan.Zero;

    public SourceRead Read() => remaining.TryDequeue(out Mat? image) ? SourceRead.FromImage(image) : SourceRead.Ended;

    public void Dispose()
    {
        while (remaining.TryDequeue(out Mat? image))
        {
            image.Dispose();
        }
    }
}
