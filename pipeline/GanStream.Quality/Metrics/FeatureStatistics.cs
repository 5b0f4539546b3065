using MathNet.Numerics.LinearAlgebra;

namespace GanStream.Quality.Metrics;

/// <summary>
/// Mean and covariance of a set of feature vectors, the Gaussian that the Fréchet distance compares. The covariance
/// is the unbiased sample covariance (divided by N − 1), as NumPy's <c>np.cov</c> computes it in the usual FID code.
/// </summary>
public sealed class FeatureStatistics
{
    private Matrix<double>? covariance;

    public FeatureStatistics(Vector<double> mean, Matrix<double> covariance, int count)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        if (covariance.RowCount != mean.Count || covariance.ColumnCount != mean.Count)
        {
            throw new ArgumentException(
                $"The covariance is {covariance.RowCount}x{covariance.ColumnCount} but the mean has {mean.Count} values.",
                nameof(covariance));
        }

        Mean = mean;
        this.covariance = covariance;
        Count = count;
    }

    private FeatureStatistics(Vector<double> mean, Matrix<double> centeredSamples)
    {
        Mean = mean;
        CenteredSamples = centeredSamples;
        Count = centeredSamples.RowCount;
    }

    public Vector<double> Mean { get; }

    /// <summary>The sample covariance, computed on first use when the statistics come from vectors.</summary>
    public Matrix<double> Covariance =>
        covariance ??= CenteredSamples!.TransposeThisAndMultiply(CenteredSamples!) / (Count - 1);

    /// <summary>
    /// The vectors minus their mean, one per row, when the statistics come from vectors; null when they were given
    /// directly. With fewer vectors than dimensions they allow the Fréchet distance without the d x d covariance.
    /// </summary>
    public Matrix<double>? CenteredSamples { get; }

    /// <summary>Trace of the covariance, from the samples when they are kept: their sum of squares over N − 1.</summary>
    /// <remarks>
    /// The sum of squares is taken element by element, because Math.NET's <c>FrobeniusNorm</c> forms the N x N
    /// product of the samples with their transpose, which for many samples takes gigabytes.
    /// </remarks>
    public double CovarianceTrace =>
        CenteredSamples is { } samples && covariance is null
            ? SumOfSquares(samples) / (Count - 1)
            : Covariance.Trace();

    /// <summary>Number of vectors the statistics were computed from; 0 when they were given directly.</summary>
    public int Count { get; }

    public int Dimension => Mean.Count;

    /// <summary>Computes the mean and sample covariance of at least two vectors of equal length.</summary>
    public static FeatureStatistics FromVectors(IReadOnlyList<float[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count < 2)
        {
            throw new ArgumentException($"A covariance needs at least 2 feature vectors, got {vectors.Count}.", nameof(vectors));
        }

        int dimension = vectors[0].Length;
        Matrix<double> samples = Matrix<double>.Build.Dense(vectors.Count, dimension);
        for (int row = 0; row < vectors.Count; row++)
        {
            float[] vector = vectors[row];
            if (vector.Length != dimension)
            {
                throw new ArgumentException(
                    $"Feature vector {row} has {vector.Length} values but the first has {dimension}.",
                    nameof(vectors));
            }

            for (int column = 0; column < dimension; column++)
            {
                samples[row, column] = vector[column];
            }
        }

        Vector<double> mean = samples.ColumnSums() / vectors.Count;
        for (int row = 0; row < samples.RowCount; row++)
        {
            samples.SetRow(row, samples.Row(row) - mean);
        }

        return new FeatureStatistics(mean, samples);
    }

    private static double SumOfSquares(Matrix<double> matrix)
    {
        double sum = 0;
        foreach (double value in matrix.Enumerate())
        {
            sum += value * value;
        }

        return sum;
    }
}
