namespace GanStream.Pipeline.Models.Tiling;

/// <summary>
/// The grid of tiles that covers one frame. Tiles are numbered row by row, so tile <c>t</c> is in row
/// <c>t / columns</c> and column <c>t % columns</c>.
/// </summary>
public sealed record TileLayout(TileAxis Rows, TileAxis Columns)
{
    /// <summary>Number of tiles.</summary>
    public int Count => Rows.Starts.Count * Columns.Starts.Count;

    /// <summary>Height of every tile as the model receives it, in input pixels.</summary>
    public int TileHeight => Rows.Extent;

    /// <summary>Width of every tile as the model receives it, in input pixels.</summary>
    public int TileWidth => Columns.Extent;
}
