using OpenCvSharp;

namespace GanStream.Pipeline.Models;

/// <summary>Converts between 8-bit BGR images and float tensors of one image in a batch.</summary>
public static class FrameTensor
{
    /// <summary>Writes a BGR image into <paramref name="destination"/>, which holds exactly one image.</summary>
    public static unsafe void Pack(Mat image, Span<float> destination, TensorFormat format)
    {
        ArgumentNullException.ThrowIfNull(image);
        RequireBgr8(image);
        int width = image.Width;
        int height = image.Height;
        int plane = width * height;
        if (destination.Length != plane * 3)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values, not 3x{height}x{width}.", nameof(destination));
        }

        float scale = format.Scale;
        float black = format.Black;

        // Channel c of the tensor reads BGR byte (2 - c) for RGB models and byte c for BGR models.
        int first = format.Rgb ? 2 : 0;
        int last = format.Rgb ? 0 : 2;
        for (int y = 0; y < height; y++)
        {
            byte* row = (byte*)image.Ptr(y);
            int rowStart = y * width;
            for (int x = 0; x < width; x++)
            {
                byte* pixel = row + (x * 3);
                float c0 = black + (pixel[first] * scale);
                float c1 = black + (pixel[1] * scale);
                float c2 = black + (pixel[last] * scale);
                int index = rowStart + x;
                if (format.ChannelsFirst)
                {
                    destination[index] = c0;
                    destination[plane + index] = c1;
                    destination[(2 * plane) + index] = c2;
                }
                else
                {
                    destination[index * 3] = c0;
                    destination[(index * 3) + 1] = c1;
                    destination[(index * 3) + 2] = c2;
                }
            }
        }
    }

    /// <summary>Writes one image of a tensor into an 8-bit BGR image, rounding and clamping to 0..255.</summary>
    public static unsafe void Unpack(ReadOnlySpan<float> source, Mat image, TensorFormat format)
    {
        ArgumentNullException.ThrowIfNull(image);
        RequireBgr8(image);
        int width = image.Width;
        int height = image.Height;
        int plane = width * height;
        if (source.Length != plane * 3)
        {
            throw new ArgumentException($"Source holds {source.Length} values, not 3x{height}x{width}.", nameof(source));
        }

        float inverseScale = 1f / format.Scale;
        float black = format.Black;
        int first = format.Rgb ? 2 : 0;
        int last = format.Rgb ? 0 : 2;
        for (int y = 0; y < height; y++)
        {
            byte* row = (byte*)image.Ptr(y);
            int rowStart = y * width;
            for (int x = 0; x < width; x++)
            {
                int index = rowStart + x;
                float c0;
                float c1;
                float c2;
                if (format.ChannelsFirst)
                {
                    c0 = source[index];
                    c1 = source[plane + index];
                    c2 = source[(2 * plane) + index];
                }
                else
                {
                    c0 = source[index * 3];
                    c1 = source[(index * 3) + 1];
                    c2 = source[(index * 3) + 2];
                }

                byte* pixel = row + (x * 3);
                pixel[first] = ToByte((c0 - black) * inverseScale);
                pixel[1] = ToByte((c1 - black) * inverseScale);
                pixel[last] = ToByte((c2 - black) * inverseScale);
            }
        }
    }

    private static byte ToByte(float value)
    {
        // NaN compares false with both bounds and ends as 0; callers reject non-finite outputs before this.
        float rounded = MathF.Round(value);
        if (rounded >= 255f)
        {
            return 255;
        }

        return rounded > 0f ? (byte)rounded : (byte)0;
    }

    private static void RequireBgr8(Mat image)
    {
        if (image.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Expected an 8-bit 3-channel BGR image, got {image.Type()}.", nameof(image));
        }
    }
}
