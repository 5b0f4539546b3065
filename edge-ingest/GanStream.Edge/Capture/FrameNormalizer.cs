using OpenCvSharp;

namespace GanStream.Edge.Capture;

/// <summary>Converts frames of any depth and channel count that OpenCV returns into 8-bit BGR.</summary>
public static class FrameNormalizer
{
    /// <summary>True when <paramref name="frame"/> is already 8-bit BGR and needs no conversion.</summary>
    public static bool IsBgr8(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return frame.Type() == MatType.CV_8UC3;
    }

    /// <summary>
    /// Names the format of a frame as channel layout and depth, for example <c>gray-16bit</c> or <c>bgra-8bit</c>;
    /// a bounded set, usable as a metric label.
    /// </summary>
    public static string Describe(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        string layout = frame.Channels() switch
        {
            1 => "gray",
            3 => "bgr",
            4 => "bgra",
            _ => "other",
        };

        int depth = frame.Depth();
        string bits = depth switch
        {
            MatType.CV_8U => "8bit",
            MatType.CV_8S => "8bit-signed",
            MatType.CV_16U => "16bit",
            MatType.CV_16S => "16bit-signed",
            MatType.CV_32S => "32bit-signed",
            MatType.CV_32F => "float",
            MatType.CV_64F => "double",
            _ => "other",
        };
        return $"{layout}-{bits}";
    }

    /// <summary>
    /// Returns <paramref name="frame"/> itself when it is already 8-bit BGR, otherwise a new converted image.
    /// 16-bit and float frames are scaled to 0..255 (16-bit by 1/257, float from 0..1).
    /// </summary>
    /// <exception cref="NotSupportedException">The frame has a channel count other than 1, 3 or 4.</exception>
    public static Mat ToBgr8(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Type() == MatType.CV_8UC3)
        {
            return frame;
        }

        int channels = frame.Channels();
        ColorConversionCodes? conversion = channels switch
        {
            1 => ColorConversionCodes.GRAY2BGR,
            3 => null,
            4 => ColorConversionCodes.BGRA2BGR,
            _ => throw new NotSupportedException($"Frames with {channels} channels are not supported; use 1, 3 or 4."),
        };

        var eightBit = new Mat();
        double scale = frame.Depth() switch
        {
            MatType.CV_16U => 1.0 / 257.0,
            MatType.CV_16S => 1.0 / 128.0,
            MatType.CV_32F or MatType.CV_64F => 255.0,
            _ => 1.0,
        };
        frame.ConvertTo(eightBit, MatType.MakeType(MatType.CV_8U, channels), scale);

        if (conversion is null)
        {
            return eightBit;
        }

        var bgr = new Mat();
        Cv2.CvtColor(eightBit, bgr, conversion.Value);
        eightBit.Dispose();
        return bgr;
    }
}
