namespace GanStream.Pipeline.Models.Tiling;

/// <summary>
/// Tile geometry of one model and the rule that decides which frames are tiled. A frame is tiled when the ONNX file
/// fixes an input height or width that the frame does not have. For a model with a dynamic input size, a frame is
/// tiled when the manifest's <c>tile.size</c> is not 0, the frame is larger than one tile, and it has more than
/// <see cref="InferenceOptions.MaxUntiledPixels"/> pixels or <see cref="InferenceOptions.ForceTiling"/> is set.
/// </summary>
public sealed record TilingPolicy
{
    /// <summary>Tile height in input pixels; 0 when tiles span the whole height.</summary>
    public required int TileHeight { get; init; }

    /// <summary>Tile width in input pixels; 0 when tiles span the whole width.</summary>
    public required int TileWidth { get; init; }

    /// <summary>Input pixels that neighbouring tiles share at least, and over which they cross-fade.</summary>
    public required int Overlap { get; init; }

    /// <summary>Input height the ONNX file fixes, or null when it is dynamic.</summary>
    public int? FixedHeight { get; init; }

    /// <summary>Input width the ONNX file fixes, or null when it is dynamic.</summary>
    public int? FixedWidth { get; init; }

    /// <summary>Input pixels above which a frame of a model with a dynamic input size is tiled.</summary>
    public long MaxUntiledPixels { get; init; } = long.MaxValue;

    /// <summary>Whether every frame larger than one tile is tiled, whatever its size.</summary>
    public bool Force { get; init; }

    /// <summary>Whether a frame of <paramref name="height"/> x <paramref name="width"/> input pixels is tiled.</summary>
    public bool Applies(int height, int width)
    {
        if (FixedHeight is not null || FixedWidth is not null)
        {
            return (FixedHeight is { } fixedHeight && fixedHeight != height) ||
                (FixedWidth is { } fixedWidth && fixedWidth != width);
        }

        if (TileHeight == 0 && TileWidth == 0)
        {
            return false;
        }

        bool largerThanOneTile = height > TileHeight || width > TileWidth;
        return largerThanOneTile && (Force || (long)height * width > MaxUntiledPixels);
    }

    /// <summary>Places the tiles over a frame of <paramref name="height"/> x <paramref name="width"/> input pixels.</summary>
    public TileLayout Plan(int height, int width) => new(
        TileAxis.Create(height, TileHeight, Overlap, FixedHeight is not null),
        TileAxis.Create(width, TileWidth, Overlap, FixedWidth is not null));

    /// <summary>Reads the tile fields of a manifest and checks them against the ONNX input size.</summary>
    /// <exception cref="ModelLoadException"><c>tile.size</c> or <c>tile.overlap</c> is invalid.</exception>
    internal static TilingPolicy Create(ModelManifest manifest, ModelSignature signature, InferenceOptions options)
    {
        TileSpec tile = manifest.Tile;
        if (tile.Size < 0)
        {
            throw Invalid(manifest, "tile.size", $"is {tile.Size}; use 0 (no tiling) or a tile edge in input pixels");
        }

        if (tile.Overlap < 0)
        {
            throw Invalid(manifest, "tile.overlap", $"is {tile.Overlap}; use 0 or more input pixels");
        }

        bool fixedSize = signature.Height is not null || signature.Width is not null;
        bool matchesFixedSize = tile.Size == (signature.Height ?? tile.Size) && tile.Size == (signature.Width ?? tile.Size);
        if (fixedSize && tile.Size != 0 && !matchesFixedSize)
        {
            throw Invalid(
                manifest,
                "tile.size",
                $"is {tile.Size} but the ONNX input fixes height x width at {Describe(signature.Height)} x " +
                $"{Describe(signature.Width)}; set tile.size to that edge, or to 0");
        }

        int tileHeight = signature.Height ?? tile.Size;
        int tileWidth = signature.Width ?? tile.Size;
        int smallest = Math.Min(tileHeight == 0 ? int.MaxValue : tileHeight, tileWidth == 0 ? int.MaxValue : tileWidth);
        if (smallest != int.MaxValue && tile.Overlap >= smallest)
        {
            throw Invalid(manifest, "tile.overlap", $"is {tile.Overlap}; it must be less than the tile edge {smallest}");
        }

        return new TilingPolicy
        {
            TileHeight = tileHeight,
            TileWidth = tileWidth,
            Overlap = tile.Overlap,
            FixedHeight = signature.Height,
            FixedWidth = signature.Width,
            MaxUntiledPixels = options.MaxUntiledPixels,
            Force = options.ForceTiling,
        };
    }

    private static string Describe(int? dimension) =>
        dimension?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "dynamic";

    private static ModelLoadException Invalid(ModelManifest manifest, string field, string detail) =>
        new($"Model {manifest.Id}: manifest field '{field}' {detail}.");
}
