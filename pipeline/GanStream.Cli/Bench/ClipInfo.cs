using OpenCvSharp;

namespace GanStream.Cli.Bench;

/// <summary>Size, frame rate and frame count of the benchmark clip.</summary>
internal sealed record ClipInfo(string Path, int Width, int Height, double FramesPerSecond, int FrameCount)
{
    /// <summary>Opens the clip and counts its frames by reading them, since container frame counts can be wrong.</summary>
    /// <exception cref="Hosting.CliException">The file cannot be read as a video.</exception>
    public static ClipInfo Read(string path)
    {
        using var capture = new VideoCapture(path);
        if (!capture.IsOpened())
        {
            throw new Hosting.CliException($"--input: OpenCV could not open '{path}' as a video.");
        }

        double fps = capture.Fps is > 0 and < 1000 ? capture.Fps : 10;
        int width = capture.FrameWidth;
        int height = capture.FrameHeight;
        int count = 0;
        using var frame = new Mat();
        while (capture.Read(frame) && !frame.Empty())
        {
            count++;
        }

        if (count == 0)
        {
            throw new Hosting.CliException($"--input: '{path}' has no frame that OpenCV can decode.");
        }

        return new ClipInfo(path, width, height, fps, count);
    }
}
