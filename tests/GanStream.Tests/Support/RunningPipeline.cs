using System.Diagnostics;
using System.Globalization;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Kafka;
using Microsoft.AspNetCore.Builder;

namespace GanStream.Tests.Support;

/// <summary>
/// The whole pipeline running in this process on the sample clip, streamed at its own frame rate with two frames a
/// second sent, with its HTTP endpoint on a free loopback port. Tests start once results came back and the consumer
/// lag was reported. It serves metrics until disposed, also after the clip ended.
/// </summary>
public sealed class RunningPipeline(KafkaTestBroker broker) : IAsyncLifetime
{
    public const string CameraId = "street";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private WebApplication? app;

    /// <summary>Base address of /metrics and /health, for example http://127.0.0.1:41234.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(15) };

    public TopicOptions Topics { get; } = KafkaTestBroker.UniqueTopics();

    public async ValueTask InitializeAsync()
    {
        var settings = new HostSettings { Bootstrap = broker.CreateBootstrap() };
        settings.Set("Topics:Features", Topics.Features);
        settings.Set("Topics:Results", Topics.Results);
        settings.Set("Topics:DeadLetter", Topics.DeadLetter);
        settings.Set("Cloud:GroupId", $"ops-{Guid.NewGuid():N}");
        settings.Set("Models:Path", TestPaths.Models);
        settings.Set("Models:DefaultModel", "esrgan-slim-x4");
        settings.Set("Edge:Cameras:0:Id", CameraId);
        settings.Set("Edge:Cameras:0:Source", TestPaths.SampleClip);
        settings.Set("Edge:Cameras:0:RealTime", true);
        settings.Set("Edge:Filters:MaxFramesPerSecond", 2);
        settings.Set("Kafka:Config:statistics.interval.ms", 1000);
        settings.Set("Metrics:Urls", "http://127.0.0.1:0");

        app = PipelineRun.Build(settings);
        PipelineRun.Check(app, settings);
        using var timeout = new CancellationTokenSource(StartTimeout);
        await ServiceHost.StartAsync(app, timeout.Token);
        BaseAddress = new Uri(app.Urls.Single());
        await WaitForTrafficAsync(timeout.Token);
    }

    /// <summary>Reads <c>/metrics</c>.</summary>
    public async Task<string> ScrapeAsync(CancellationToken cancellationToken) =>
        await Http.GetStringAsync(new Uri(BaseAddress, "/metrics"), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private async Task WaitForTrafficAsync(CancellationToken cancellationToken)
    {
        string synthesized = $"ganstream_edge_results_total{{camera=\"{CameraId}\",outcome=\"synthesized\"}}";
        var waited = Stopwatch.StartNew();
        while (true)
        {
            string text = await ScrapeAsync(cancellationToken);
            bool resultsBack = Exposition.Samples(text, "ganstream_edge_results_total")
                .Any(line => line.StartsWith(synthesized, StringComparison.Ordinal) && ValueOf(line) >= 3);
            bool lagReported = Exposition.Samples(text, "ganstream_cloud_consumer_lag_messages")
                .Any(line => line.Contains(Topics.Features, StringComparison.Ordinal));
            if (resultsBack && lagReported)
            {
                return;
            }

            if (waited.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"No results or no lag metric within {StartTimeout}:{Environment.NewLine}{text}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private static double ValueOf(string sampleLine) =>
        double.Parse(sampleLine[(sampleLine.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}
