using GanStream.Pipeline.Models;
using GanStream.Pipeline.Models.Tiling;
using GanStream.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace GanStream.Tests.Models;

/// <summary>Tiled inference on real frames gives the same image as one whole run, without visible seams.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class TiledInferenceTests(ITestOutputHelper output)
{
    private static readonly InferenceOptions ForcedTiling = new()
    {
        ExecutionProvider = ExecutionProviderPreference.Cpu,
        WarmUp = false,
        ForceTiling = true,
    };

    /// <remarks>
    /// 192 x 144 is the sample clip reduced for a 4x model. Its tiles share 64 and 112 pixels, so the cross-fades lie
    /// beyond the reach of the tile borders and the images were equal when measured. In 352 x 240 neighbouring tiles
    /// share exactly the 16-pixel overlap, less than medium's receptive-field radius of 17.5 pixels, which is the
    /// worst case for seams. Both models differed by at most 3 grey levels there, 0.03 on average.
    /// </remarks>
    [Theory]
    [InlineData("esrgan-slim-x4", 192, 144, 4, 1)]
    [InlineData("esrgan-medium-x4", 192, 144, 4, 1)]
    [InlineData("esrgan-slim-x4", 352, 240, 6, 5)]
    [InlineData("esrgan-medium-x4", 352, 240, 6, 5)]
    public void Run_RealFrame_MatchesUntiledRun(string name, int width, int height, int tiles, int maxDifference)
    {
        string folder = Path.Combine(TestPaths.Models, name, "1");
        using SuperResolutionModel model = SuperResolutionModel.Load(folder, ForcedTiling, NullLogger.Instance);
        using Mat frame = TestImages.SampleFrame(10);
        using var reduced = new Mat();
        int factor = width > frame.Width / 4 ? 2 : 4;
        Cv2.Resize(frame, reduced, new Size(frame.Width / factor, frame.Height / factor), 0, 0, InterpolationFlags.Area);
        using Mat feature = reduced[new Rect(0, 0, width, height)].Clone();
        float[] tensor = Pack(feature, model.InputFormat);
        TileLayout layout = model.Tiling.Plan(height, width);

        using ModelOutput whole = model.Run(tensor, 1, height, width);
        using ModelOutput tiled = TiledInference.Run(model, tensor, height, width, maxTilesPerCall: 4);

        Assert.Equal(tiles, layout.Count);
        Assert.Equal(whole.Height, tiled.Height);
        Assert.Equal(whole.Width, tiled.Width);
        using Mat wholeImage = Unpack(whole, model.OutputFormat);
        using Mat tiledImage = Unpack(tiled, model.OutputFormat);
        using var difference = new Mat();
        Cv2.Absdiff(wholeImage, tiledImage, difference);
        Cv2.MinMaxLoc(difference.Reshape(1), out _, out double max);
        double mean = Cv2.Mean(difference.Reshape(1)).Val0;
        output.WriteLine($"{name}: {layout.Count} tiles of {layout.TileWidth}x{layout.TileHeight} over {width}x{height}, " +
            $"starts x [{string.Join(", ", layout.Columns.Starts)}] y [{string.Join(", ", layout.Rows.Starts)}]; " +
            $"max abs difference {max} and mean {mean:F4} grey levels of 255");
        Assert.InRange(max, 0, maxDifference);
        Assert.InRange(mean, 0, 0.05);
    }

    [Theory]
    [InlineData("test-fixed32-x2", 20, 75)]
    [InlineData("test-fixed32-x2", 77, 101)]
    [InlineData("test-nhwc-x2", 45, 61)]
    [InlineData("test-batch2-x2", 290, 300)]
    public void Run_NearestModel_EqualsNearestUpscale(string name, int height, int width)
    {
        string folder = Path.Combine(TestPaths.TestModels, name, "1");
        using SuperResolutionModel model = SuperResolutionModel.Load(folder, ForcedTiling, NullLogger.Instance);
        using Mat frame = TestImages.SampleFrame(3);
        using Mat crop = frame[new Rect(200, 150, width, height)].Clone();
        float[] tensor = Pack(crop, model.InputFormat);

        using ModelOutput tiled = TiledInference.Run(model, tensor, height, width, maxTilesPerCall: 3);

        Assert.True(model.Tiling.Applies(height, width));
        Assert.True(model.Tiling.Plan(height, width).Count > 1);
        using Mat actual = Unpack(tiled, model.OutputFormat);
        using var expected = new Mat();
        Cv2.Resize(crop, expected, new Size(width * 2, height * 2), 0, 0, InterpolationFlags.Nearest);
        using var difference = new Mat();
        Cv2.Absdiff(expected, actual, difference);
        Assert.Equal(0, Cv2.CountNonZero(difference.Reshape(1)));
    }

    private static float[] Pack(Mat image, TensorFormat format)
    {
        var tensor = new float[image.Width * image.Height * 3];
        FrameTensor.Pack(image, tensor, format);
        return tensor;
    }

    private static Mat Unpack(ModelOutput output, TensorFormat format)
    {
        var image = new Mat(output.Height, output.Width, MatType.CV_8UC3);
        FrameTensor.Unpack(output.Image(0), image, format);
        return image;
    }
}
