using OpenCvSharp;

namespace GanStream.Benchmarks;

/// <summary>Frames of the repository's sample clip, found by walking up from the benchmark's folder.</summary>
internal static class SampleFrames
{
    public static Mat Read(int index)
    {
        string clip = Pipeline.Hosting.ContentPaths.Resolve(Path.Combine("samples", "vtest-20s.avi"));
        using var capture = new VideoCapture(clip);
        if (!capture.IsOpened())
        {
            throw new FileNotFoundException($"Sample clip '{clip}' could not be opened; run from the checkout.");
        }

        var frame = new Mat();
        for (int i = 0; i <= index; i++)
        {
            capture.Read(frame);
        }

        return frame;
    }
}
