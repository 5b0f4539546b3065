using System.Buffers;
using System.Numerics.Tensors;

namespace GanStream.Pipeline.Models.Tiling;

/// <summary>
/// Adds the outputs of the tiles of one frame, each multiplied by its blend weights, into one output image held in a
/// pooled buffer. Used by one thread.
/// </summary>
internal sealed class TileBlender : IDisposable
{
    private readonly TileLayout layout;
    private readonly int scale;
    private readonly bool channelsFirst;
    private readonly float[][] rowWeights;
    private readonly float[][] columnWeights;
    private readonly float[] weightedRow;
    private float[]? output;

    public TileBlender(TileLayout layout, int scale, bool channelsFirst)
    {
        this.layout = layout;
        this.scale = scale;
        this.channelsFirst = channelsFirst;
        OutputHeight = layout.Rows.Length * scale;
        OutputWidth = layout.Columns.Length * scale;
        rowWeights = layout.Rows.CreateWeights(scale);
        columnWeights = channelsFirst
            ? layout.Columns.CreateWeights(scale)
            : [.. layout.Columns.CreateWeights(scale).Select(RepeatPerChannel)];
        weightedRow = new float[columnWeights[0].Length];

        int length = OutputHeight * OutputWidth * 3;
        output = ArrayPool<float>.Shared.Rent(length);
        output.AsSpan(0, length).Clear();
    }

    public int OutputHeight { get; }

    public int OutputWidth { get; }

    /// <summary>Adds the output of tile <paramref name="tile"/>, which has the tile's extent times the scale.</summary>
    public void Add(int tile, ReadOnlySpan<float> tileOutput)
    {
        ObjectDisposedException.ThrowIf(output is null, this);
        int row = tile / layout.Columns.Starts.Count;
        int column = tile % layout.Columns.Starts.Count;
        float[] yWeights = rowWeights[row];
        float[] xWeights = columnWeights[column];
        int top = layout.Rows.Starts[row] * scale;
        int left = layout.Columns.Starts[column] * scale;

        int planes = channelsFirst ? 3 : 1;
        int channelsPerPixel = channelsFirst ? 1 : 3;
        int tileOutputWidth = layout.Columns.Extent * scale;
        int tilePlane = channelsFirst ? layout.Rows.Extent * scale * tileOutputWidth : 0;
        int outputPlane = channelsFirst ? OutputHeight * OutputWidth : 0;
        int validLength = xWeights.Length;

        for (int plane = 0; plane < planes; plane++)
        {
            for (int y = 0; y < yWeights.Length; y++)
            {
                float yWeight = yWeights[y];
                if (yWeight == 0)
                {
                    continue;
                }

                int sourceStart = (plane * tilePlane) + (y * tileOutputWidth * channelsPerPixel);
                ReadOnlySpan<float> source = tileOutput.Slice(sourceStart, validLength);
                int targetStart = (plane * outputPlane) + ((((top + y) * OutputWidth) + left) * channelsPerPixel);
                Span<float> target = output.AsSpan(targetStart, validLength);
                TensorPrimitives.Multiply(source, xWeights, weightedRow);
                TensorPrimitives.MultiplyAdd(weightedRow, yWeight, target, target);
            }
        }
    }

    /// <summary>Hands the blended image to a <see cref="ModelOutput"/> of one image; the blender is then empty.</summary>
    public ModelOutput ToOutput()
    {
        float[] values = output ?? throw new ObjectDisposedException(nameof(TileBlender));
        output = null;
        return new ModelOutput(values, 1, OutputHeight, OutputWidth);
    }

    public void Dispose()
    {
        float[]? buffer = output;
        output = null;
        if (buffer is not null)
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static float[] RepeatPerChannel(float[] weights)
    {
        var repeated = new float[weights.Length * 3];
        for (int i = 0; i < repeated.Length; i++)
        {
            repeated[i] = weights[i / 3];
        }

        return repeated;
    }
}
