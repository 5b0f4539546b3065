using GanStream.Cli.Summary;

namespace GanStream.Cli.Bench;

/// <summary>Summary of a sample: count, mean, median, 95th and 99th percentiles and maximum; null values when empty.</summary>
internal sealed record Distribution(int Count, double? Mean, double? P50, double? P95, double? P99, double? Max)
{
    public static Distribution Empty { get; } = new(0, null, null, null, null, null);

    /// <summary>Summarizes <paramref name="values"/>; percentiles interpolate linearly between closest ranks.</summary>
    public static Distribution Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }

        return new Distribution(
            sorted.Length,
            sorted.Average(),
            Percentiles.Of(sorted, 50),
            Percentiles.Of(sorted, 95),
            Percentiles.Of(sorted, 99),
            sorted[^1]);
    }
}
