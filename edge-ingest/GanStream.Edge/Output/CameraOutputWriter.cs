using System.Globalization;
using OpenCvSharp;

namespace GanStream.Edge.Output;

/// <summary>Writes the synthesized frames of one camera into a video and, optionally, side-by-side images.</summary>
internal sealed class CameraOutputWriter : IDisposable
{
    private readonly string cameraId;
    private readonly OutputOptions options;
    private readonly double framesPerSecond;
    private VideoWriter? video;
    private Size videoSize;

    public CameraOutputWriter(string cameraId, OutputOptions options, double framesPerSecond)
    {
        this.cameraId = cameraId;
        this.options = options;
        this.framesPerSecond = framesPerSecond;
        VideoPath = Path.Combine(options.Directory!, $"{cameraId}.avi");
    }

    public string VideoPath { get; }

    public long FramesWritten { get; private set; }

    /// <summary>Appends a synthesized frame; frames of another size than the first are resized to it.</summary>
    public void Write(Mat synthesized, Mat? original, ulong sequence)
    {
        if (options.WriteVideo)
        {
            WriteVideoFrame(synthesized);
        }

        if (options.WriteSideBySide && original is not null)
        {
            WriteSideBySide(synthesized, original, sequence);
        }

        FramesWritten++;
    }

    public void Dispose() => video?.Dispose();

    private void WriteVideoFrame(Mat synthesized)
    {
        if (video is null)
        {
            videoSize = synthesized.Size();
            string fourCc = options.VideoCodec.PadRight(4)[..4];
            video = new VideoWriter(VideoPath, FourCC.FromString(fourCc), framesPerSecond, videoSize, isColor: true);
            if (!video.IsOpened())
            {
                video.Dispose();
                video = null;
                throw new IOException($"OpenCV could not open '{VideoPath}' for writing with codec {fourCc}.");
            }
        }

        if (synthesized.Size() == videoSize)
        {
            video.Write(synthesized);
            return;
        }

        using var resized = new Mat();
        Cv2.Resize(synthesized, resized, videoSize, 0, 0, InterpolationFlags.Area);
        video.Write(resized);
    }

    private void WriteSideBySide(Mat synthesized, Mat original, ulong sequence)
    {
        string folder = Path.Combine(options.Directory!, cameraId);
        Directory.CreateDirectory(folder);

        using var left = new Mat();
        Cv2.Resize(original, left, synthesized.Size(), 0, 0, InterpolationFlags.Cubic);
        using var combined = new Mat();
        Cv2.HConcat([left, synthesized], combined);

        string name = sequence.ToString("D8", CultureInfo.InvariantCulture) + ".jpg";
        Cv2.ImWrite(Path.Combine(folder, name), combined, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
    }
}
