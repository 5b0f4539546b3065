namespace GanStream.Cli.Summary;

/// <summary>Percentiles of a sample by linear interpolation between closest ranks.</summary>
internal static class Percentiles
{
    /// <summary>Returns the <paramref name="percentile"/> (0 to 100) of <paramref name="sorted"/>, or NaN when empty.</summary>
    public static double Of(IReadOnlyList<double> sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        double rank = percentile / 100 * (sorted.Count - 1);
        int lower = (int)Math.Floor(rank);
        int upper = Math.Min(lower + 1, sorted.Count - 1);
        double fraction = rank - lower;
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * fraction);
    }
}
