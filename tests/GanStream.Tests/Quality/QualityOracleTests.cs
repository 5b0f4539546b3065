using GanStream.Quality.Metrics;
using GanStream.Tests.Support;
using OpenCvSharp;

namespace GanStream.Tests.Quality;

/// <summary>
/// Agreement with independent implementations. The expected values were computed once by
/// <c>Quality/Data/make_oracle.py</c> with scikit-image 0.19.3 and SciPy 1.10.1 (Debian 12's python3-skimage and
/// python3-scipy), which also wrote the image pair: a 192x144 crop of the held-out clip's first frame, and that crop
/// reduced 4x, JPEG-compressed at quality 30 and enlarged bicubically.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait(TestCategories.Name, TestCategories.Quality)]
public sealed class QualityOracleTests
{
    private const double ScikitImagePsnr = 23.851465935611632;
    private const double ScikitImageSsim = 0.7262558802272643;
    private const double SciPyFrechetDistance = 1.2427174570589197;

    [Fact]
    public void Psnr_RealImagePair_MatchesScikitImage()
    {
        using Mat reference = ReadPair(out Mat candidate);
        using (candidate)
        {
            Assert.Equal(ScikitImagePsnr, Psnr.Compute(reference, candidate), 9);
        }
    }

    [Fact]
    public void Ssim_RealImagePair_MatchesScikitImage()
    {
        using Mat reference = ReadPair(out Mat candidate);
        using (candidate)
        {
            Assert.Equal(ScikitImageSsim, Ssim.Compute(reference, candidate), 9);
        }
    }

    [Fact]
    public void FrechetDistance_FormulaFeatures_MatchesSciPySqrtm()
    {
        double distance = FrechetDistance.Compute(Features(64, 6, 0.0, 1.0, 0.0), Features(80, 6, 0.9, 1.5, 0.3));

        Assert.Equal(SciPyFrechetDistance, distance, 1e-6 * SciPyFrechetDistance);
    }

    private static Mat ReadPair(out Mat candidate)
    {
        Mat reference = Cv2.ImRead(Path.Combine(TestPaths.QualityData, "reference.png"), ImreadModes.Color);
        candidate = Cv2.ImRead(Path.Combine(TestPaths.QualityData, "candidate.png"), ImreadModes.Color);
        Assert.False(reference.Empty());
        Assert.False(candidate.Empty());
        return reference;
    }

    /// <summary>The feature sets of make_oracle.py, computed in double and stored as float.</summary>
    private static List<float[]> Features(int count, int dimension, double phase, double scale, double offset) =>
        Enumerable.Range(0, count).Select(i => Enumerable.Range(0, dimension).Select(j =>
            (float)((scale * (Math.Sin((0.37 * i) + (1.3 * j) + phase) + (0.25 * Math.Cos(0.11 * i * (j + 1)))))
                + (0.05 * j) + offset)).ToArray()).ToList();
}
