using GanStream.Cli.Hosting;
using OpenCvSharp;

namespace GanStream.Cli.Evaluation;

/// <summary>
/// Reads the frames to evaluate from video files and image folders. Frames are numbered from 0 across the inputs in
/// the order given; a folder contributes its images in ordinal order of their file names.
/// </summary>
internal sealed class EvaluationFrames
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"];

    public EvaluationFrames(IReadOnlyList<string> inputs, FrameRange range)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new CliException("--input: give at least one video file or image folder.");
        }

        foreach (string input in inputs)
        {
            if (!File.Exists(input) && !Directory.Exists(input))
            {
                throw new CliException($"--input: '{input}' is neither a video file nor a folder that exists.");
            }
        }

        Inputs = inputs;
        Range = range;
    }

    public IReadOnlyList<string> Inputs { get; }

    public FrameRange Range { get; }

    /// <summary>Reads the selected frames as 8-bit BGR images, which the caller disposes.</summary>
    public IEnumerable<(long Frame, Mat Image)> Read(CancellationToken cancellationToken)
    {
        long frame = 0;
        foreach (string input in Inputs)
        {
            IEnumerable<Mat> images = Directory.Exists(input) ? ReadFolder(input) : ReadVideo(input);
            foreach (Mat image in images)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Range.IsPast(frame))
                {
                    image.Dispose();
                    yield break;
                }

                if (Range.Contains(frame))
                {
                    yield return (frame, image);
                }
                else
                {
                    image.Dispose();
                }

                frame++;
            }
        }
    }

    /// <summary>Counts the selected frames by reading them once.</summary>
    public int Count(CancellationToken cancellationToken)
    {
        int count = 0;
        foreach ((_, Mat image) in Read(cancellationToken))
        {
            image.Dispose();
            count++;
        }

        if (count == 0)
        {
            throw new CliException($"--frames {Range}: the input has no frame in this range.");
        }

        return count;
    }

    private static IEnumerable<Mat> ReadVideo(string path)
    {
        using var capture = new VideoCapture(path);
        if (!capture.IsOpened())
        {
            throw new CliException($"--input: OpenCV could not open '{path}' as a video; check the file and its codec.");
        }

        while (true)
        {
            var image = new Mat();
            if (!capture.Read(image) || image.Empty())
            {
                image.Dispose();
                yield break;
            }

            yield return RequireBgr8(image, path);
        }
    }

    private static IEnumerable<Mat> ReadFolder(string folder)
    {
        IEnumerable<string> files = Directory.EnumerateFiles(folder)
            .Where(file => ImageExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (string file in files)
        {
            Mat image = Cv2.ImRead(file, ImreadModes.Color);
            if (image.Empty())
            {
                image.Dispose();
                throw new CliException($"--input: OpenCV could not read the image '{file}'.");
            }

            yield return RequireBgr8(image, file);
        }
    }

    private static Mat RequireBgr8(Mat image, string source)
    {
        if (image.Type() == MatType.CV_8UC3)
        {
            return image;
        }

        MatType type = image.Type();
        image.Dispose();
        throw new CliException($"--input: '{source}' decodes to {type}, not 8-bit colour; convert it to 8-bit RGB first.");
    }
}
