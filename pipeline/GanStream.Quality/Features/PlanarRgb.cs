using OpenCvSharp;

namespace GanStream.Quality.Features;

/// <summary>Resizing and packing of images for the feature networks.</summary>
internal static class PlanarRgb
{
    /// <summary>
    /// Scales an image uniformly so that it covers <paramref name="side"/> x <paramref name="side"/> pixels, then
    /// crops the centre square. Area averaging is used to shrink and bilinear interpolation to enlarge.
    /// </summary>
    public static Mat ScaleAndCropCentre(Mat bgr, int side)
    {
        double scale = (double)side / Math.Min(bgr.Width, bgr.Height);
        int width = Math.Max(side, (int)Math.Round(bgr.Width * scale));
        int height = Math.Max(side, (int)Math.Round(bgr.Height * scale));
        using var scaled = new Mat();
        InterpolationFlags interpolation = scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear;
        Cv2.Resize(bgr, scaled, new Size(width, height), 0, 0, interpolation);
        var centre = new Rect((width - side) / 2, (height - side) / 2, side, side);
        return new Mat(scaled, centre).Clone();
    }

    /// <summary>
    /// Writes a BGR image as RGB values <c>offset + scale · byte</c>, either as three planes (NCHW) or interleaved
    /// (NHWC).
    /// </summary>
    public static unsafe void Pack(Mat bgr, Span<float> destination, float scale, float offset, bool channelsFirst)
    {
        int width = bgr.Width;
        int height = bgr.Height;
        int plane = width * height;
        if (destination.Length != plane * 3)
        {
            throw new ArgumentException(
                $"Destination has {destination.Length} values but a {width}x{height} image needs 3x{height}x{width}.",
                nameof(destination));
        }

        for (int y = 0; y < height; y++)
        {
            byte* row = (byte*)bgr.Ptr(y);
            for (int x = 0; x < width; x++)
            {
                int index = (y * width) + x;
                byte* pixel = row + (x * 3);
                float red = offset + (pixel[2] * scale);
                float green = offset + (pixel[1] * scale);
                float blue = offset + (pixel[0] * scale);
                if (channelsFirst)
                {
                    destination[index] = red;
                    destination[plane + index] = green;
                    destination[(2 * plane) + index] = blue;
                }
                else
                {
                    destination[index * 3] = red;
                    destination[(index * 3) + 1] = green;
                    destination[(index * 3) + 2] = blue;
                }
            }
        }
    }
}
