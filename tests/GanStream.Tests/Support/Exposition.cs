using System.Text.RegularExpressions;

namespace GanStream.Tests.Support;

/// <summary>Reads the Prometheus text exposition format as far as the tests need.</summary>
public static partial class Exposition
{
    /// <summary>
    /// Returns every series name a query can select: each family of a <c># TYPE</c> line, with <c>_bucket</c>,
    /// <c>_sum</c> and <c>_count</c> for histograms (and <c>_sum</c>, <c>_count</c> for summaries), and the name of
    /// every sample line.
    /// </summary>
    public static IReadOnlySet<string> SeriesNames(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Match type = TypeLine().Match(line);
            if (type.Success)
            {
                string family = type.Groups[1].Value;
                switch (type.Groups[2].Value)
                {
                    case "histogram":
                        names.UnionWith([family + "_bucket", family + "_sum", family + "_count"]);
                        break;
                    case "summary":
                        names.UnionWith([family, family + "_sum", family + "_count"]);
                        break;
                    default:
                        names.Add(family);
                        break;
                }

                continue;
            }

            Match sample = SampleLine().Match(line);
            if (sample.Success)
            {
                names.Add(sample.Groups[1].Value);
            }
        }

        return names;
    }

    /// <summary>Returns the sample lines of one series name, for example to read a value.</summary>
    public static IReadOnlyList<string> Samples(string text, string name) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) ||
                line.StartsWith(name + " ", StringComparison.Ordinal))
            .ToList();

    [GeneratedRegex(@"^#\s*TYPE\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s+(\w+)")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]")]
    private static partial Regex SampleLine();
}
