namespace GanStream.Pipeline.Models.Tiling;

/// <summary>Positions of the tiles along one image axis, and their blend weights, in input pixels.</summary>
/// <remarks>
/// The first tile starts at 0 and the last one ends at the image edge. The tiles between are spread evenly, so
/// neighbours share at least the requested overlap and often a little more.
/// </remarks>
public sealed class TileAxis
{
    private readonly int[] starts;

    private TileAxis(int length, int extent, int overlap, int[] starts)
    {
        Length = length;
        Extent = extent;
        Overlap = overlap;
        this.starts = starts;
    }

    /// <summary>Length of the image along the axis.</summary>
    public int Length { get; }

    /// <summary>
    /// Length of every tile as the model receives it. It exceeds <see cref="Length"/> only for a model that fixes
    /// its input size, and the tile is then padded by reflection.
    /// </summary>
    public int Extent { get; }

    /// <summary>Pixels of each tile that lie inside the image.</summary>
    public int Valid => Math.Min(Extent, Length);

    /// <summary>Length of the cross-fade between neighbouring tiles.</summary>
    public int Overlap { get; }

    /// <summary>First pixel of each tile, in increasing order.</summary>
    public IReadOnlyList<int> Starts => starts;

    /// <summary>Places tiles of <paramref name="tile"/> pixels over an axis of <paramref name="length"/> pixels.</summary>
    /// <param name="tile">Tile length; 0 covers the axis with one tile.</param>
    /// <param name="overlap">Pixels that neighbouring tiles share at least; less than <paramref name="tile"/>.</param>
    /// <param name="fixedSize">Whether the model takes exactly <paramref name="tile"/> pixels along this axis.</param>
    public static TileAxis Create(int length, int tile, int overlap, bool fixedSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(tile);
        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        if (tile == 0)
        {
            if (fixedSize)
            {
                throw new ArgumentException("A fixed-size axis needs a tile length.", nameof(tile));
            }

            return new TileAxis(length, length, 0, [0]);
        }

        if (length <= tile)
        {
            return new TileAxis(length, fixedSize ? tile : length, Math.Min(overlap, length), [0]);
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlap, tile);
        int stride = tile - overlap;
        int count = ((length - tile + stride - 1) / stride) + 1;
        int span = length - tile;
        var positions = new int[count];
        for (int i = 0; i < count; i++)
        {
            // Rounded even spacing; no gap exceeds the stride, so neighbours share at least the overlap.
            positions[i] = (int)(((long)i * span * 2 + count - 1) / (2L * (count - 1)));
        }

        return new TileAxis(length, tile, overlap, positions);
    }

    /// <summary>
    /// Creates the blend weight of every tile at each of its <see cref="Valid"/> x <paramref name="scale"/> output
    /// pixels, normalized so that the weights of all tiles sum to 1 at every output pixel.
    /// </summary>
    /// <remarks>
    /// Two neighbours cross-fade linearly over <see cref="Overlap"/> x <paramref name="scale"/> output pixels in the
    /// middle of the region they share. Where they share more than that, the pixels next to each tile's inner
    /// edge, which the convolutions' zero padding makes least accurate, get no weight.
    /// </remarks>
    public float[][] CreateWeights(int scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        int tileOut = Valid * scale;
        var weights = new float[starts.Length][];
        var sums = new double[Length * scale];
        for (int i = 0; i < starts.Length; i++)
        {
            weights[i] = new float[tileOut];
            for (int p = 0; p < tileOut; p++)
            {
                double position = (starts[i] * scale) + p + 0.5;
                double weight = Rise(i, position, scale) * Fall(i, position, scale);
                weights[i][p] = (float)weight;
                sums[(starts[i] * scale) + p] += weight;
            }
        }

        for (int i = 0; i < starts.Length; i++)
        {
            for (int p = 0; p < tileOut; p++)
            {
                weights[i][p] = (float)(weights[i][p] / sums[(starts[i] * scale) + p]);
            }
        }

        return weights;
    }

    /// <summary>Weight of tile <paramref name="i"/> from the cross-fade with its previous neighbour.</summary>
    private double Rise(int i, double position, int scale)
    {
        if (i == 0)
        {
            return 1;
        }

        (double center, double ramp) = CrossFade(i - 1, scale);
        if (ramp == 0)
        {
            return position >= center ? 1 : 0;
        }

        return Math.Clamp((position - center + (ramp / 2)) / ramp, 0, 1);
    }

    /// <summary>Weight of tile <paramref name="i"/> from the cross-fade with its next neighbour.</summary>
    private double Fall(int i, double position, int scale)
    {
        if (i == starts.Length - 1)
        {
            return 1;
        }

        (double center, double ramp) = CrossFade(i, scale);
        if (ramp == 0)
        {
            return position < center ? 1 : 0;
        }

        return Math.Clamp((center + (ramp / 2) - position) / ramp, 0, 1);
    }

    /// <summary>Middle and length, in output pixels, of the cross-fade between tiles <paramref name="i"/> and i + 1.</summary>
    private (double Center, double Ramp) CrossFade(int i, int scale)
    {
        int shared = (starts[i] + Valid - starts[i + 1]) * scale;
        double center = (starts[i + 1] * scale) + (shared / 2.0);
        return (center, Math.Min(Overlap * scale, shared));
    }
}
