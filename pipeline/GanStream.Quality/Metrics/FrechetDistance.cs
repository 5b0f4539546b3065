using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace GanStream.Quality.Metrics;

/// <summary>
/// Fréchet distance between two Gaussians fitted to feature sets (Dowson and Landau, 1982), the quantity behind
/// FID: <c>FD = |μ1 − μ2|² + Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½)</c>. The trace of the square root is computed from
/// symmetric eigendecompositions only: <c>Σ1 Σ2</c> is similar to the symmetric positive semi-definite matrix
/// <c>Σ1^½ Σ2 Σ1^½</c>, so both have the same non-negative eigenvalues and
/// <c>Tr (Σ1 Σ2)^½ = Σ sqrt(λ_i(Σ1^½ Σ2 Σ1^½))</c>. Eigenvalues that rounding makes slightly negative are taken as
/// 0, which keeps singular covariances (fewer vectors than dimensions) usable.
/// With fewer vectors than dimensions (a few hundred frames against 512 or 2048 features) the trace comes from the
/// samples instead: with centred samples X1 (n1 x d) and X2 (n2 x d), the non-zero eigenvalues of Σ1 Σ2 are the
/// squared singular values of X1 X2ᵀ divided by (n1 − 1)(n2 − 1), so <c>Tr (Σ1 Σ2)^½</c> is the sum of those singular
/// values divided by sqrt((n1 − 1)(n2 − 1)). That costs an n1 x n2 SVD instead of d x d eigendecompositions.
/// </summary>
public static class FrechetDistance
{
    /// <summary>Computes the distance between the Gaussians of two feature sets.</summary>
    public static double Compute(IReadOnlyList<float[]> first, IReadOnlyList<float[]> second) =>
        Compute(FeatureStatistics.FromVectors(first), FeatureStatistics.FromVectors(second));

    /// <summary>Computes the distance between two Gaussians given by their statistics.</summary>
    public static double Compute(FeatureStatistics first, FeatureStatistics second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Dimension != second.Dimension)
        {
            throw new ArgumentException(
                $"The feature sets differ in dimension: {first.Dimension} and {second.Dimension}.",
                nameof(second));
        }

        Vector<double> difference = first.Mean - second.Mean;
        double meanTerm = difference.DotProduct(difference);
        double traceTerm = first.CovarianceTrace + second.CovarianceTrace - (2 * TraceOfProductSquareRoot(first, second));

        // Rounding can leave a tiny negative value for equal Gaussians; a distance is never below 0.
        return Math.Max(0, meanTerm + traceTerm);
    }

    /// <summary>Computes <c>Tr (Σ1 Σ2)^½</c>, from the samples when that is cheaper.</summary>
    public static double TraceOfProductSquareRoot(FeatureStatistics first, FeatureStatistics second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.CenteredSamples is { } x1 && second.CenteredSamples is { } x2 && Math.Min(x1.RowCount, x2.RowCount) < first.Dimension)
        {
            Matrix<double> cross = x1.TransposeAndMultiply(x2);
            double sum = cross.Svd(computeVectors: false).S.Sum();
            return sum / Math.Sqrt((first.Count - 1.0) * (second.Count - 1.0));
        }

        return TraceOfProductSquareRoot(first.Covariance, second.Covariance);
    }

    /// <summary>Computes <c>Tr (A B)^½</c> for symmetric positive semi-definite matrices A and B.</summary>
    public static double TraceOfProductSquareRoot(Matrix<double> first, Matrix<double> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);

        Matrix<double> firstRoot = SymmetricSquareRoot(first);
        Matrix<double> inner = firstRoot * second * firstRoot;
        Matrix<double> symmetric = (inner + inner.Transpose()) / 2;

        double trace = 0;
        foreach (double eigenvalue in SymmetricEigenvalues(symmetric))
        {
            trace += Math.Sqrt(Math.Max(0, eigenvalue));
        }

        return trace;
    }

    /// <summary>Computes the symmetric positive semi-definite square root of a symmetric matrix.</summary>
    public static Matrix<double> SymmetricSquareRoot(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        Matrix<double> symmetric = (matrix + matrix.Transpose()) / 2;
        Evd<double> evd = symmetric.Evd(Symmetricity.Symmetric);
        Vector<double> roots = evd.EigenValues.Map(value => Math.Sqrt(Math.Max(0, value.Real)));
        Matrix<double> vectors = evd.EigenVectors;
        return vectors * Matrix<double>.Build.DiagonalOfDiagonalVector(roots) * vectors.Transpose();
    }

    private static IEnumerable<double> SymmetricEigenvalues(Matrix<double> symmetric) =>
        symmetric.Evd(Symmetricity.Symmetric).EigenValues.Select(value => value.Real);
}
