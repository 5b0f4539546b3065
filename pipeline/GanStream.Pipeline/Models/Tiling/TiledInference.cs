using System.Buffers;

namespace GanStream.Pipeline.Models.Tiling;

/// <summary>
/// Runs a frame through a model tile by tile, several tiles per inference call, and blends the overlapping tile
/// outputs into one image. A frame of any size then fits a model with a fixed input size or a memory budget.
/// </summary>
public static class TiledInference
{
    /// <summary>Runs one frame in the tiles that the model's <see cref="SuperResolutionModel.Tiling"/> plans for it.</summary>
    /// <param name="image">
    /// The frame: 3 x <paramref name="height"/> x <paramref name="width"/> values in the model's input format.
    /// </param>
    /// <param name="maxTilesPerCall">Most tiles in one inference call; a model with a fixed batch size uses its own.</param>
    /// <returns>One image of height and width times the scale factor, in the model's output format.</returns>
    /// <exception cref="Microsoft.ML.OnnxRuntime.OnnxRuntimeException">The model failed on a tile.</exception>
    public static ModelOutput Run(
        SuperResolutionModel model,
        ReadOnlySpan<float> image,
        int height,
        int width,
        int maxTilesPerCall)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTilesPerCall, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (image.Length != height * width * 3)
        {
            throw new ArgumentException($"The image contains {image.Length} values, not 3x{height}x{width}.", nameof(image));
        }

        TileLayout layout = model.Tiling.Plan(height, width);
        int tileLength = layout.TileHeight * layout.TileWidth * 3;
        int tilesPerCall = Math.Min(model.Signature.BatchSize ?? maxTilesPerCall, layout.Count);
        float[] tiles = ArrayPool<float>.Shared.Rent(tilesPerCall * tileLength);
        using var blender = new TileBlender(layout, model.ScaleFactor, model.OutputFormat.ChannelsFirst);
        try
        {
            for (int first = 0; first < layout.Count; first += tilesPerCall)
            {
                int count = Math.Min(tilesPerCall, layout.Count - first);
                for (int i = 0; i < count; i++)
                {
                    Span<float> destination = tiles.AsSpan(i * tileLength, tileLength);
                    TileExtractor.Copy(image, layout, model.InputFormat.ChannelsFirst, first + i, destination);
                }

                using ModelOutput output = model.Run(tiles, count, layout.TileHeight, layout.TileWidth);
                for (int i = 0; i < count; i++)
                {
                    blender.Add(first + i, output.Image(i));
                }
            }

            return blender.ToOutput();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tiles);
        }
    }
}
