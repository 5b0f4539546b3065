using GanStream.Pipeline.Models.Tiling;
using GanStream.Tests.Support;

namespace GanStream.Tests.Models;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class TileAxisTests
{
    [Theory]
    [InlineData(129, 128, 16)]
    [InlineData(144, 128, 16)]
    [InlineData(192, 128, 16)]
    [InlineData(1000, 128, 16)]
    [InlineData(241, 128, 16)]
    [InlineData(100, 32, 8)]
    [InlineData(97, 32, 0)]
    [InlineData(50, 16, 15)]
    public void Create_LongerThanTile_KeepsOverlap(int length, int tile, int overlap)
    {
        TileAxis axis = TileAxis.Create(length, tile, overlap, fixedSize: false);

        Assert.Equal(tile, axis.Extent);
        Assert.Equal(0, axis.Starts[0]);
        Assert.Equal(length - tile, axis.Starts[^1]);
        for (int i = 1; i < axis.Starts.Count; i++)
        {
            int gap = axis.Starts[i] - axis.Starts[i - 1];
            Assert.InRange(gap, 1, tile - overlap);
        }
    }

    [Theory]
    [InlineData(20, 32, true, 32)]
    [InlineData(20, 32, false, 20)]
    [InlineData(32, 32, true, 32)]
    [InlineData(20, 0, false, 20)]
    public void Create_AxisFitsOneTile_HasOneTile(int length, int tile, bool fixedSize, int extent)
    {
        TileAxis axis = TileAxis.Create(length, tile, 8, fixedSize);

        Assert.Equal([0], axis.Starts);
        Assert.Equal(extent, axis.Extent);
        Assert.Equal(length, axis.Valid);
    }

    [Theory]
    [InlineData(144, 128, 16, 4)]
    [InlineData(129, 128, 16, 4)]
    [InlineData(1000, 128, 16, 2)]
    [InlineData(100, 32, 8, 2)]
    [InlineData(97, 32, 0, 3)]
    [InlineData(50, 16, 15, 1)]
    [InlineData(20, 32, 8, 2)]
    public void CreateWeights_AnyAxis_SumToOne(int length, int tile, int overlap, int scale)
    {
        TileAxis axis = TileAxis.Create(length, tile, overlap, fixedSize: true);

        float[][] weights = axis.CreateWeights(scale);

        var sums = new double[length * scale];
        for (int i = 0; i < weights.Length; i++)
        {
            Assert.Equal(axis.Valid * scale, weights[i].Length);
            for (int p = 0; p < weights[i].Length; p++)
            {
                Assert.InRange(weights[i][p], 0f, 1f);
                sums[(axis.Starts[i] * scale) + p] += weights[i][p];
            }
        }

        Assert.All(sums, sum => Assert.InRange(sum, 1 - 1e-5, 1 + 1e-5));
    }

    [Fact]
    public void CreateWeights_WideSharedRegion_SkipsInnerEdge()
    {
        // Tiles at 0 and 2 share 126 pixels, and the cross-fade covers only the middle 16 of them.
        TileAxis axis = TileAxis.Create(130, 128, 16, fixedSize: false);

        float[][] weights = axis.CreateWeights(scale: 1);

        Assert.Equal([0, 2], axis.Starts);
        Assert.Equal(0f, weights[1][0]);
        Assert.Equal(0f, weights[0][127]);
        Assert.Equal(1f, weights[0][0]);
        Assert.Equal(1f, weights[1][127]);
    }

    [Fact]
    public void CreateWeights_CrossFade_IsLinearAndSymmetric()
    {
        // 40 pixels in tiles of 24 at 0 and 16 share exactly the 8-pixel overlap.
        TileAxis axis = TileAxis.Create(40, 24, 8, fixedSize: false);

        float[][] weights = axis.CreateWeights(scale: 1);

        Assert.Equal([0, 16], axis.Starts);
        for (int p = 0; p < 8; p++)
        {
            float expected = (p + 0.5f) / 8;
            Assert.Equal(expected, weights[1][p], 1e-6f);
            Assert.Equal(1 - expected, weights[0][16 + p], 1e-6f);
        }
    }

    [Theory]
    [InlineData(0, 5, 0)]
    [InlineData(4, 5, 4)]
    [InlineData(5, 5, 3)]
    [InlineData(8, 5, 0)]
    [InlineData(9, 5, 1)]
    [InlineData(7, 1, 0)]
    [InlineData(3, 2, 1)]
    public void Reflect_PastEnd_MirrorsBack(int position, int length, int expected)
    {
        Assert.Equal(expected, TileExtractor.Reflect(position, length));
    }
}
