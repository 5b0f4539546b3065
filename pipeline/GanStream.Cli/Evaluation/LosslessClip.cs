using GanStream.Cli.Hosting;
using OpenCvSharp;

namespace GanStream.Cli.Evaluation;

/// <summary>
/// A temporary FFV1 video of the selected, cropped frames, for the edge to read in pipeline mode. FFV1 is
/// lossless, so the edge degrades the same pixels the scores compare against; <see cref="Write"/> checks that
/// by reading the first frame back.
/// </summary>
internal static class LosslessClip
{
    /// <summary>Writes the clip and returns the frame numbers in the order of the clip's frames.</summary>
    public static long[] Write(EvaluationContext context, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var keys = new List<long>();
        Mat? first = null;
        VideoWriter? writer = null;
        try
        {
            foreach ((long frame, Mat image) in context.Frames.Read(cancellationToken))
            {
                using (image)
                using (Mat cropped = FrameDegrader.Crop(image, context.CropMultiple))
                {
                    if (writer is null)
                    {
                        first = cropped.Clone();
                        writer = new VideoWriter(path, FourCC.FromString("FFV1"), 10, cropped.Size());
                        if (!writer.IsOpened())
                        {
                            throw new CliException($"OpenCV could not open an FFV1 video writer for '{path}'.");
                        }
                    }
                    else if (cropped.Size() != first!.Size())
                    {
                        throw new CliException(
                            $"Frame {frame} is {cropped.Width}x{cropped.Height} but the first is {first.Width}x{first.Height}; " +
                            "pipeline mode sends all frames as one camera, so they must share a size.");
                    }

                    writer.Write(cropped);
                    keys.Add(frame);
                }
            }
        }
        finally
        {
            writer?.Dispose();
        }

        using (first)
        {
            VerifyFirstFrame(path, first!);
        }

        return keys.ToArray();
    }

    private static void VerifyFirstFrame(string path, Mat expected)
    {
        using var capture = new VideoCapture(path);
        using var actual = new Mat();
        if (!capture.IsOpened() || !capture.Read(actual) || actual.Size() != expected.Size()
            || Cv2.Norm(actual, expected, NormTypes.INF) > 0)
        {
            throw new CliException($"The FFV1 clip '{path}' does not read back bit-exact; pipeline mode cannot run here.");
        }
    }
}
