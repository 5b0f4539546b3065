using GanStream.Quality.Metrics;
using GanStream.Tests.Support;
using OpenCvSharp;

namespace GanStream.Tests.Quality;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait(TestCategories.Name, TestCategories.Quality)]
public sealed class PsnrTests
{
    [Fact]
    public void Compute_IdenticalImages_IsPositiveInfinity()
    {
        using Mat frame = TestImages.SampleFrame();

        Assert.Equal(0, Psnr.MeanSquaredError(frame, frame));
        Assert.Equal(double.PositiveInfinity, Psnr.Compute(frame, frame));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void Compute_ConstantOffset_MatchesClosedForm(int offset)
    {
        // Every sample differs by exactly the offset, so MSE = offset² and PSNR = 20 log10(255 / offset).
        using var reference = new Mat(37, 53, MatType.CV_8UC3);
        Cv2.Randu(reference, Scalar.All(0), Scalar.All(255 - offset));
        using Mat candidate = reference + Scalar.All(offset);

        Assert.Equal(offset * offset, Psnr.MeanSquaredError(reference, candidate), 12);
        Assert.Equal(20 * Math.Log10(255.0 / offset), Psnr.Compute(reference, candidate), 10);
    }

    [Fact]
    public void Compute_OneSampleOff_AveragesAllChannels()
    {
        // One channel of one pixel in 2x2 differs by 255: MSE = 255² / (4 pixels · 3 channels), PSNR = 10 log10 12.
        using var reference = new Mat(2, 2, MatType.CV_8UC3, Scalar.All(0));
        using Mat candidate = reference.Clone();
        candidate.Set(1, 1, new Vec3b(0, 255, 0));

        Assert.Equal(10 * Math.Log10(12), Psnr.Compute(reference, candidate), 10);
    }

    [Fact]
    public void Compute_DifferentSizes_Throws()
    {
        using var a = new Mat(8, 8, MatType.CV_8UC3, Scalar.All(0));
        using var b = new Mat(8, 9, MatType.CV_8UC3, Scalar.All(0));

        Assert.Throws<ArgumentException>(() => Psnr.Compute(a, b));
    }
}
