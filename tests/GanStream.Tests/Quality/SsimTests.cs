using GanStream.Quality.Metrics;
using GanStream.Tests.Support;
using OpenCvSharp;

namespace GanStream.Tests.Quality;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait(TestCategories.Name, TestCategories.Quality)]
public sealed class SsimTests
{
    [Fact]
    public void Compute_IdenticalImages_IsOne()
    {
        using Mat frame = TestImages.SampleFrame();

        Assert.Equal(1.0, Ssim.Compute(frame, frame), 12);
    }

    [Fact]
    public void Compute_NoisyImage_IsSymmetricAndBelowOne()
    {
        using Mat frame = TestImages.SampleFrame();
        using var noise = new Mat(frame.Size(), MatType.CV_16SC3);
        Cv2.Randn(noise, Scalar.All(0), Scalar.All(12));
        using var wide = new Mat();
        frame.ConvertTo(wide, MatType.CV_16SC3);
        using Mat noisyWide = wide + noise;
        using var noisy = new Mat();
        noisyWide.ConvertTo(noisy, MatType.CV_8UC3);

        double forward = Ssim.Compute(frame, noisy);
        double backward = Ssim.Compute(noisy, frame);

        Assert.Equal(forward, backward, 12);
        Assert.InRange(forward, 0.1, 0.99);
    }

    [Fact]
    public void Compute_ConstantImages_MatchesLuminanceTerm()
    {
        // Flat images have zero variance and covariance, so SSIM = (2 μx μy + C1) / (μx² + μy² + C1) everywhere.
        using var dark = new Mat(20, 30, MatType.CV_8UC3, Scalar.All(40));
        using var light = new Mat(20, 30, MatType.CV_8UC3, Scalar.All(200));
        double c1 = Math.Pow(0.01 * 255, 2);
        double expected = ((2.0 * 40 * 200) + c1) / ((40.0 * 40) + (200.0 * 200) + c1);

        Assert.Equal(expected, Ssim.Compute(dark, light), 9);
    }

    [Fact]
    public void Luma_PureColours_UsesBt601Weights()
    {
        using var image = new Mat(1, 3, MatType.CV_8UC3);
        image.Set(0, 0, new Vec3b(0, 0, 255));
        image.Set(0, 1, new Vec3b(0, 255, 0));
        image.Set(0, 2, new Vec3b(255, 0, 0));

        using Mat luma = Ssim.Luma(image);

        Assert.Equal(0.299 * 255, luma.At<double>(0, 0), 9);
        Assert.Equal(0.587 * 255, luma.At<double>(0, 1), 9);
        Assert.Equal(0.114 * 255, luma.At<double>(0, 2), 9);
    }

    [Fact]
    public void Compute_SmallerThanWindow_Throws()
    {
        using var tiny = new Mat(10, 40, MatType.CV_8UC3, Scalar.All(0));

        Assert.Throws<ArgumentException>(() => Ssim.Compute(tiny, tiny));
    }
}
