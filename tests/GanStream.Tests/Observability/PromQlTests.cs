using GanStream.Tests.Support;

namespace GanStream.Tests.Observability;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class PromQlTests
{
    [Theory]
    [InlineData("up{job=\"ganstream-cloud\"} == 0", "up")]
    [InlineData("sum by (camera) (rate(frames_total{camera=~\"$camera\"}[$__rate_interval]))", "frames_total")]
    [InlineData("histogram_quantile(0.95, sum by (le, provider) (rate(a_seconds_bucket[5m])))", "a_seconds_bucket")]
    [InlineData("1 - sum(rate(x_bucket{le=\"2\"}[1h])) / sum(rate(x_count[1h]))", "x_bucket,x_count")]
    [InlineData("a > 1e3 and on (instance) b offset 5m unless ignoring (gpu) c", "a,b,c")]
    [InlineData("max by (instance) (up{accelerator=\"gpu\"}) unless on (instance) max by (instance) (g_bytes)", "up,g_bytes")]
    [InlineData("ganstream:slo_errors:ratio_rate1h > (14.4 * 0.01)", "ganstream:slo_errors:ratio_rate1h")]
    [InlineData("absent(up{job=\"ganstream-cloud\"} == 1)", "up")]
    public void MetricNames_Expression_FindsMetricsOnly(string expression, string expected)
    {
        Assert.Equal(expected.Split(',').Order(), PromQl.MetricNames(expression).Order());
    }

    [Fact]
    public void LabelValuesMetric_GrafanaQuery_ReturnsMetric()
    {
        string? metric = PromQl.LabelValuesMetric("label_values(ganstream_edge_frames_captured_total, camera)");

        Assert.Equal("ganstream_edge_frames_captured_total", metric);
        Assert.Null(PromQl.LabelValuesMetric("query_result(up)"));
    }

    [Fact]
    public void SeriesNames_Histogram_IncludesSuffixes()
    {
        const string text = """
            # HELP d_seconds Duration.
            # TYPE d_seconds histogram
            d_seconds_bucket{le="1"} 0
            # TYPE e_total counter
            # TYPE f gauge
            f{x="1"} 2
            """;

        IReadOnlySet<string> names = Exposition.SeriesNames(text);

        Assert.Equal(["d_seconds_bucket", "d_seconds_count", "d_seconds_sum", "e_total", "f"], names.Order());
    }
}
