using GanStream.Quality.Metrics;
using GanStream.Tests.Support;
using MathNet.Numerics.LinearAlgebra;

namespace GanStream.Tests.Quality;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait(TestCategories.Name, TestCategories.Quality)]
public sealed class FrechetDistanceTests
{
    // Two 2-D Gaussians whose covariances do not commute, so (Σ1 Σ2)^½ is not the product of the roots.
    private static readonly double[] Mean1 = [1.0, -2.0];
    private static readonly double[] Mean2 = [2.5, -1.0];
    private static readonly double[,] Covariance1 = { { 2.0, 0.8 }, { 0.8, 1.0 } };
    private static readonly double[,] Covariance2 = { { 0.5, -0.3 }, { -0.3, 1.5 } };

    [Theory]
    [InlineData(12, 9, 64)]
    [InlineData(40, 40, 300)]
    public void Compute_FewerSamplesThanDimensions_MatchesCovariancePath(int firstCount, int secondCount, int dimension)
    {
        var random = new Random(11);
        float[][] first = RandomVectors(random, firstCount, dimension, offset: 0);
        float[][] second = RandomVectors(random, secondCount, dimension, offset: 0.3f);
        FeatureStatistics fromSamples1 = FeatureStatistics.FromVectors(first);
        FeatureStatistics fromSamples2 = FeatureStatistics.FromVectors(second);
        var fromCovariance1 = new FeatureStatistics(fromSamples1.Mean, fromSamples1.Covariance, 0);
        var fromCovariance2 = new FeatureStatistics(fromSamples2.Mean, fromSamples2.Covariance, 0);

        double viaSamples = FrechetDistance.Compute(FeatureStatistics.FromVectors(first), FeatureStatistics.FromVectors(second));
        double viaCovariances = FrechetDistance.Compute(fromCovariance1, fromCovariance2);

        // The covariance path takes square roots of eigenvalues that rounding leaves near 0 instead of exactly 0,
        // which adds about 1e-8 of the distance; the sample path has no such terms.
        Assert.InRange(viaSamples, viaCovariances * (1 - 1e-6), viaCovariances * (1 + 1e-6));
    }

    [Fact]
    public void Compute_TrueParameters2D_MatchesClosedForm()
    {
        double distance = FrechetDistance.Compute(Statistics(Mean1, Covariance1), Statistics(Mean2, Covariance2));

        Assert.Equal(ClosedForm2D(Mean1, Covariance1, Mean2, Covariance2), distance, 10);
    }

    [Fact]
    public void Compute_DiagonalCovariances_MatchesClosedForm()
    {
        // Diagonal covariances commute: Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½) = Σ (√a_i − √b_i)².
        const int dimension = 16;
        var mean1 = new double[dimension];
        var mean2 = new double[dimension];
        var variance1 = new double[dimension];
        var variance2 = new double[dimension];
        double expected = 0;
        for (int i = 0; i < dimension; i++)
        {
            mean1[i] = Math.Sin(i);
            mean2[i] = Math.Cos(i);
            variance1[i] = 0.5 + i;
            variance2[i] = 2.0 + (0.25 * i);
            expected += Math.Pow(mean1[i] - mean2[i], 2) + Math.Pow(Math.Sqrt(variance1[i]) - Math.Sqrt(variance2[i]), 2);
        }

        var first = new FeatureStatistics(Vector<double>.Build.Dense(mean1), Matrix<double>.Build.Diagonal(variance1), 0);
        var second = new FeatureStatistics(Vector<double>.Build.Dense(mean2), Matrix<double>.Build.Diagonal(variance2), 0);

        Assert.Equal(expected, FrechetDistance.Compute(first, second), 9);
    }

    [Fact]
    public void Compute_GaussianSamples_NearClosedForm()
    {
        // This checks the path from samples (means and covariances) to the distance; the exact tests above check the
        // formula. With N = 40000 samples per set the estimate's standard deviation is about
        // 2 |μ1 − μ2| sqrt((Tr Σ1 + Tr Σ2) / N) ≈ 2 · 1.8 · sqrt(5 / 40000) ≈ 0.04 and its bias about
        // (Tr Σ1 + Tr Σ2) / N ≈ 1.3e-4, so the tolerance of 0.15 (3.5 % of the distance of 4.29) is over 3 standard
        // deviations.
        var random = new Random(20260101);
        List<float[]> first = Sample(Mean1, Covariance1, 40000, random);
        List<float[]> second = Sample(Mean2, Covariance2, 40000, random);

        double expected = ClosedForm2D(Mean1, Covariance1, Mean2, Covariance2);

        Assert.Equal(expected, FrechetDistance.Compute(first, second), 0.15);
    }

    [Fact]
    public void Compute_IdenticalSets_IsZero()
    {
        // 40 vectors of 128 values: the covariance is singular, as it is for 195 frames of 512 ResNet-18 features.
        var random = new Random(7);
        List<float[]> features = Enumerable.Range(0, 40)
            .Select(_ => Enumerable.Range(0, 128).Select(_ => (float)random.NextDouble()).ToArray())
            .ToList();
        double trace = FeatureStatistics.FromVectors(features).Covariance.Trace();

        Assert.InRange(FrechetDistance.Compute(features, features), 0, 1e-9 * trace);
    }

    [Fact]
    public void FromVectors_KnownSet_UsesUnbiasedCovariance()
    {
        // Values 1, 2, 3, 4 in one dimension: mean 2.5, sample variance Σ (x − 2.5)² / 3 = 5 / 3.
        FeatureStatistics statistics = FeatureStatistics.FromVectors([[1f], [2f], [3f], [4f]]);

        Assert.Equal(2.5, statistics.Mean[0], 12);
        Assert.Equal(5.0 / 3.0, statistics.Covariance[0, 0], 12);
    }

    private static FeatureStatistics Statistics(double[] mean, double[,] covariance) =>
        new(Vector<double>.Build.Dense(mean), Matrix<double>.Build.DenseOfArray(covariance), 0);

    /// <summary>
    /// FD of 2-D Gaussians without eigendecompositions: for a 2x2 matrix M with non-negative eigenvalues,
    /// (Tr M^½)² = λ1 + λ2 + 2 sqrt(λ1 λ2) = Tr M + 2 sqrt(det M).
    /// </summary>
    private static double ClosedForm2D(double[] mean1, double[,] s1, double[] mean2, double[,] s2)
    {
        double p00 = (s1[0, 0] * s2[0, 0]) + (s1[0, 1] * s2[1, 0]);
        double p01 = (s1[0, 0] * s2[0, 1]) + (s1[0, 1] * s2[1, 1]);
        double p10 = (s1[1, 0] * s2[0, 0]) + (s1[1, 1] * s2[1, 0]);
        double p11 = (s1[1, 0] * s2[0, 1]) + (s1[1, 1] * s2[1, 1]);
        double traceRoot = Math.Sqrt(p00 + p11 + (2 * Math.Sqrt((p00 * p11) - (p01 * p10))));
        double meanTerm = Math.Pow(mean1[0] - mean2[0], 2) + Math.Pow(mean1[1] - mean2[1], 2);
        return meanTerm + s1[0, 0] + s1[1, 1] + s2[0, 0] + s2[1, 1] - (2 * traceRoot);
    }

    /// <summary>Draws x = μ + L z with z standard normal (Box-Muller) and L the Cholesky factor of the covariance.</summary>
    private static List<float[]> Sample(double[] mean, double[,] covariance, int count, Random random)
    {
        double l00 = Math.Sqrt(covariance[0, 0]);
        double l10 = covariance[1, 0] / l00;
        double l11 = Math.Sqrt(covariance[1, 1] - (l10 * l10));
        var samples = new List<float[]>(count);
        for (int i = 0; i < count; i++)
        {
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            double angle = 2 * Math.PI * random.NextDouble();
            double z0 = radius * Math.Cos(angle);
            double z1 = radius * Math.Sin(angle);
            samples.Add([(float)(mean[0] + (l00 * z0)), (float)(mean[1] + (l10 * z0) + (l11 * z1))]);
        }

        return samples;
    }

    private static float[][] RandomVectors(Random random, int count, int dimension, float offset) =>
        Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, dimension).Select(i => offset + (float)random.NextDouble() * (1 + (i % 5))).ToArray())
            .ToArray();
}
