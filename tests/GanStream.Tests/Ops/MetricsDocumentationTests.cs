using System.Reflection;
using System.Text.RegularExpressions;
using GanStream.Cloud;
using GanStream.Edge;
using GanStream.Pipeline.Gpu;
using GanStream.Pipeline.Models;
using GanStream.Tests.Support;
using Prometheus;

namespace GanStream.Tests.Ops;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed partial class MetricsDocumentationTests
{
    [Fact]
    public void MetricsPage_EveryServiceMetric_DocumentedOnce()
    {
        string page = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "metrics.md"));
        string[] documented = DocumentedName().Matches(page).Select(match => match.Groups[1].Value).ToArray();
        var defined = new HashSet<string>(StringComparer.Ordinal);
        defined.UnionWith(CollectorNames(typeof(EdgeMetrics)));
        defined.UnionWith(CollectorNames(typeof(CloudMetrics)));
        defined.UnionWith(CollectorNames(typeof(ModelMetrics)));
        defined.UnionWith(GpuMetrics.MetricNames);

        Assert.Equal(defined.Order(), documented.Distinct().Order());
        Assert.Equal(documented.Length, documented.Distinct().Count());
    }

    private static IEnumerable<string> CollectorNames(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => typeof(Collector).IsAssignableFrom(field.FieldType))
            .Select(field => ((Collector)field.GetValue(null)!).Name);

    /// <summary>A metric name in the first column of a table row.</summary>
    [GeneratedRegex(@"^\| `(ganstream_[a-z0-9_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedName();
}
