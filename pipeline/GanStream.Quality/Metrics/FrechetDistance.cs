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
        double traceTerm = first.Covariance.Trace() + second.Covariance.Trace()
            - (2 * TraceOfProductSquareRoot(first.Covariance, second.Covariance));

        // Rounding can leave a tiny negative value for equal Gaussians; a distance is never below 0.
        return Math.Max(0, meanTerm + traceTerm);
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
