using GanStream.Pipeline.Models;
using GanStream.Pipeline.Models.Tiling;
using GanStream.Tests.Support;

namespace GanStream.Tests.Models;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class TilingPolicyTests
{
    private static readonly ModelSignature Dynamic = new(null, null, null);

    [Theory]
    [InlineData(144, 192, false)]
    [InlineData(256, 256, false)]
    [InlineData(256, 257, true)]
    [InlineData(1080, 1920, true)]
    public void Applies_DynamicModel_TilesLargeFrames(int height, int width, bool expected)
    {
        TilingPolicy policy = Create(Manifest(128, 16), Dynamic, new InferenceOptions { MaxUntiledPixels = 256 * 256 });

        Assert.Equal(expected, policy.Applies(height, width));
    }

    [Theory]
    [InlineData(144, 192, true)]
    [InlineData(128, 128, false)]
    [InlineData(64, 100, false)]
    public void Applies_ForceTiling_TilesMultiTileFrames(int height, int width, bool expected)
    {
        TilingPolicy policy = Create(Manifest(128, 16), Dynamic, new InferenceOptions { ForceTiling = true });

        Assert.Equal(expected, policy.Applies(height, width));
    }

    [Fact]
    public void Applies_TileSizeZero_NeverTiles()
    {
        var options = new InferenceOptions { MaxUntiledPixels = 1, ForceTiling = true };

        TilingPolicy policy = Create(Manifest(0, 16), Dynamic, options);

        Assert.False(policy.Applies(2000, 2000));
    }

    [Theory]
    [InlineData(32, 32, false)]
    [InlineData(20, 32, true)]
    [InlineData(32, 33, true)]
    [InlineData(600, 800, true)]
    public void Applies_FixedInputSize_TilesOtherSizes(int height, int width, bool expected)
    {
        TilingPolicy policy = Create(Manifest(32, 8), new ModelSignature(null, 32, 32), new InferenceOptions());

        Assert.Equal(expected, policy.Applies(height, width));
    }

    [Fact]
    public void Plan_FixedInputSize_TilesHaveFixedSize()
    {
        TilingPolicy policy = Create(Manifest(0, 8), new ModelSignature(null, 32, 48), new InferenceOptions());

        TileLayout layout = policy.Plan(20, 100);

        Assert.Equal(32, layout.TileHeight);
        Assert.Equal(48, layout.TileWidth);
        Assert.Single(layout.Rows.Starts);
        Assert.Equal(3, layout.Columns.Starts.Count);
    }

    [Theory]
    [InlineData(64, 8, "tile.size")]
    [InlineData(-1, 8, "tile.size")]
    [InlineData(32, 32, "tile.overlap")]
    [InlineData(32, -2, "tile.overlap")]
    public void Create_InvalidTileField_IsRejected(int size, int overlap, string field)
    {
        var exception = Assert.Throws<ModelLoadException>(
            () => Create(Manifest(size, overlap), new ModelSignature(null, 32, 32), new InferenceOptions()));

        Assert.Contains("tiles:1", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"'{field}'", exception.Message, StringComparison.Ordinal);
    }

    private static TilingPolicy Create(ModelManifest manifest, ModelSignature signature, InferenceOptions options) =>
        TilingPolicy.Create(manifest, signature, options);

    private static ModelManifest Manifest(int tileSize, int overlap) => new()
    {
        Name = "tiles",
        Version = 1,
        ScaleFactor = 4,
        Input = new TensorSpec { Name = "LR" },
        Output = new TensorSpec { Name = "SR" },
        Tile = new TileSpec { Size = tileSize, Overlap = overlap },
    };
}
