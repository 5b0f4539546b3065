namespace GanStream.Pipeline.Models.Tiling;

/// <summary>Copies one tile out of an image tensor, padding by reflection past the image's bottom and right edges.</summary>
internal static class TileExtractor
{
    /// <summary>Writes tile <paramref name="tile"/> of <paramref name="layout"/> into <paramref name="destination"/>.</summary>
    /// <param name="image">The frame, height x width pixels of 3 channels in the model's input layout.</param>
    public static void Copy(
        ReadOnlySpan<float> image,
        TileLayout layout,
        bool channelsFirst,
        int tile,
        Span<float> destination)
    {
        TileAxis rows = layout.Rows;
        TileAxis columns = layout.Columns;
        int top = rows.Starts[tile / columns.Starts.Count];
        int left = columns.Starts[tile % columns.Starts.Count];
        int height = rows.Length;
        int width = columns.Length;
        int tileHeight = rows.Extent;
        int tileWidth = columns.Extent;

        // For NCHW the planes are the 3 channels. For NHWC one plane contains the interleaved channels.
        int planes = channelsFirst ? 3 : 1;
        int channelsPerPixel = channelsFirst ? 1 : 3;
        int imagePlane = channelsFirst ? height * width : 0;
        int tilePlane = channelsFirst ? tileHeight * tileWidth : 0;
        int imageRow = width * channelsPerPixel;
        int tileRow = tileWidth * channelsPerPixel;
        bool rowFits = left + tileWidth <= width;

        for (int plane = 0; plane < planes; plane++)
        {
            for (int y = 0; y < tileHeight; y++)
            {
                int sourceY = Reflect(top + y, height);
                ReadOnlySpan<float> source = image.Slice((plane * imagePlane) + (sourceY * imageRow), imageRow);
                Span<float> target = destination.Slice((plane * tilePlane) + (y * tileRow), tileRow);
                if (rowFits)
                {
                    source.Slice(left * channelsPerPixel, tileRow).CopyTo(target);
                    continue;
                }

                for (int x = 0; x < tileWidth; x++)
                {
                    int sourceX = Reflect(left + x, width);
                    ReadOnlySpan<float> pixel = source.Slice(sourceX * channelsPerPixel, channelsPerPixel);
                    pixel.CopyTo(target.Slice(x * channelsPerPixel, channelsPerPixel));
                }
            }
        }
    }

    /// <summary>
    /// Maps a position at or past the end of an axis of <paramref name="length"/> pixels back into it by mirroring
    /// about the last pixel without repeating it (OpenCV's BORDER_REFLECT_101); a 1-pixel axis repeats its pixel.
    /// </summary>
    internal static int Reflect(int position, int length)
    {
        if (position < length)
        {
            return position;
        }

        if (length == 1)
        {
            return 0;
        }

        int period = (2 * length) - 2;
        int offset = position % period;
        return offset < length ? offset : period - offset;
    }
}
