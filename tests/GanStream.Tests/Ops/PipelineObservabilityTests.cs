using System.Net;
using System.Text.Json;
using GanStream.Pipeline.Gpu;
using GanStream.Tests.Support;

namespace GanStream.Tests.Ops;

/// <summary>
/// Health, metrics and the shipped Prometheus and Grafana queries checked against a running pipeline, and a real
/// Prometheus scraping it.
/// </summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class PipelineObservabilityTests(RunningPipeline pipeline, ITestOutputHelper output) : IClassFixture<RunningPipeline>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Series that Prometheus itself adds to every scrape, which no service exports.</summary>
    private static readonly string[] PrometheusSeries = ["up"];

    [Fact]
    public async Task HealthEndpoints_RunningPipeline_LiveAndReady()
    {
        using var timeout = new CancellationTokenSource(Timeout);

        using HttpResponseMessage live = await pipeline.Http.GetAsync(new Uri(pipeline.BaseAddress, "/health/live"), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        using HttpResponseMessage ready = await pipeline.Http.GetAsync(new Uri(pipeline.BaseAddress, "/health/ready"), timeout.Token);
        string body = await ready.Content.ReadAsStringAsync(timeout.Token);
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using JsonDocument report = JsonDocument.Parse(body);
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        JsonElement checks = report.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("kafka").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("synthesis-worker").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("edge-cameras").GetProperty("status").GetString());
        Assert.Equal("esrgan-slim-x4:1", checks.GetProperty("synthesis-worker").GetProperty("data").GetProperty("model").GetString());
    }

    [Fact]
    public async Task Metrics_RunningPipeline_CoverEveryStage()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        string text = await pipeline.ScrapeAsync(timeout.Token);
        string camera = $"camera=\"{RunningPipeline.CameraId}\"";

        string[] perCamera =
        [
            "ganstream_edge_frames_captured_total",
            "ganstream_edge_capture_duration_seconds_count",
            "ganstream_edge_filter_duration_seconds_count",
            "ganstream_edge_encode_duration_seconds_count",
            "ganstream_edge_publish_duration_seconds_count",
            "ganstream_edge_end_to_end_latency_seconds_count",
            "ganstream_edge_camera_reconnects_total",
            "ganstream_edge_camera_source_open",
        ];
        foreach (string name in perCamera)
        {
            Assert.Contains(Exposition.Samples(text, name), line => line.Contains(camera, StringComparison.Ordinal));
        }

        string[] worker =
        [
            "ganstream_cloud_consumer_lag_messages",
            "ganstream_cloud_batch_size_count",
            "ganstream_cloud_batch_wait_seconds_count",
            "ganstream_cloud_decode_duration_seconds_count",
            "ganstream_cloud_encode_duration_seconds_count",
            "ganstream_cloud_reply_duration_seconds_count",
            "ganstream_cloud_processing_duration_seconds_count",
            "ganstream_cloud_queue_duration_seconds_count",
            "ganstream_cloud_dead_letters_total",
            "ganstream_cloud_model_info",
            "process_cpu_seconds_total",
            "process_working_set_bytes",
        ];
        foreach (string name in worker)
        {
            Assert.NotEmpty(Exposition.Samples(text, name));
        }

        Assert.Contains(
            Exposition.Samples(text, "ganstream_cloud_inference_duration_seconds_count"),
            line => line.Contains("provider=\"CPUExecutionProvider\"", StringComparison.Ordinal));
        Assert.Contains(
            Exposition.Samples(text, "ganstream_cloud_consumer_lag_messages"),
            line => line.Contains($"topic=\"{pipeline.Topics.Features}\"", StringComparison.Ordinal));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Ops)]
    public async Task Metrics_RunningPipeline_PassPromtoolCheck()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        string text = await pipeline.ScrapeAsync(timeout.Token);

        (int exitCode, string result) = await PrometheusTools.RunPromtoolAsync(["check", "metrics"], text, timeout.Token);

        output.WriteLine(result);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task OpsQueries_RunningPipeline_UseOnlyExportedMetrics()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        string text = await pipeline.ScrapeAsync(timeout.Token);
        var known = new HashSet<string>(Exposition.SeriesNames(text), StringComparer.Ordinal);
        known.UnionWith(GpuMetrics.MetricNames);
        known.UnionWith(PrometheusSeries);
        var rules = OpsDefinitions.Rules();
        known.UnionWith(rules.Where(rule => rule.IsRecording).Select(rule => rule.Name));

        var unknown = new List<string>();
        foreach ((string name, string expression, _) in rules)
        {
            unknown.AddRange(PromQl.MetricNames(expression).Where(metric => !known.Contains(metric)).Select(m => $"rule {name}: {m}"));
        }

        var queries = OpsDefinitions.DashboardQueries();
        foreach ((string dashboard, string panel, string expression) in queries)
        {
            unknown.AddRange(
                PromQl.MetricNames(expression).Where(metric => !known.Contains(metric)).Select(m => $"{dashboard} '{panel}': {m}"));
        }

        Assert.NotEmpty(rules);
        Assert.NotEmpty(queries);
        Assert.True(unknown.Count == 0, "Queries name metrics the services do not export:\n" + string.Join("\n", unknown));

        // The latency objective counts frames in the bucket with le="2", so that bucket bound must exist.
        Assert.Contains(
            Exposition.Samples(text, "ganstream_edge_end_to_end_latency_seconds_bucket"),
            line => line.Contains("le=\"2\"", StringComparison.Ordinal));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Ops)]
    public async Task Prometheus_ScrapingPipeline_StoresItsSeries()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        string target = $"{pipeline.BaseAddress.Host}:{pipeline.BaseAddress.Port}";
        await using PrometheusServer prometheus = await PrometheusServer.StartAsync("ganstream", target, timeout.Token);
        output.WriteLine($"Prometheus at {prometheus.Address} scrapes {target}");

        string[] expected =
        [
            "ganstream_edge_frames_captured_total",
            "ganstream_edge_end_to_end_latency_seconds_bucket",
            "ganstream_cloud_inference_duration_seconds_bucket",
            "ganstream_cloud_consumer_lag_messages",
            "process_cpu_seconds_total",
        ];
        IReadOnlySet<string> stored = new HashSet<string>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!expected.All(stored.Contains) && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);
            stored = await prometheus.MetricNamesAsync(timeout.Token);
        }

        string[] missing = expected.Where(name => !stored.Contains(name)).ToArray();
        Assert.True(missing.Length == 0, $"Prometheus has no {string.Join(", ", missing)} after 60 s:\n{prometheus.RecentOutput}");

        JsonElement up = await prometheus.QueryAsync("up{job=\"ganstream\"}", timeout.Token);
        Assert.Equal("1", Assert.Single(up.EnumerateArray()).GetProperty("value")[1].GetString());

        string query = $"ganstream_edge_frames_captured_total{{camera=\"{RunningPipeline.CameraId}\"}}";
        JsonElement captured = await prometheus.QueryAsync(query, timeout.Token);
        string value = Assert.Single(captured.EnumerateArray()).GetProperty("value")[1].GetString()!;
        output.WriteLine($"{query} = {value}");
        Assert.True(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }
}
