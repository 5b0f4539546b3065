using System.Net.Http.Json;
using System.Text.Json;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Kafka;
using Microsoft.AspNetCore.Builder;

namespace GanStream.Tests.Support;

/// <summary>
/// The whole pipeline running in this process with one camera that loops the sample clip at its own frame rate and
/// sends two frames a second. The edge keeps running, so cameras can be attached to it. Its HTTP endpoint is on a
/// free loopback port, and tests start once the camera's first result came back.
/// </summary>
public sealed class LoopingPipeline(KafkaTestBroker broker) : IAsyncLifetime
{
    /// <summary>Id of the configured camera; unique in the test process, whose metrics registry is shared.</summary>
    public const string CameraId = "looping-main";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private WebApplication? app;

    /// <summary>Base address of the edge's HTTP endpoint, for example http://127.0.0.1:41234.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask InitializeAsync()
    {
        TopicOptions topics = KafkaTestBroker.UniqueTopics();
        var settings = new HostSettings { Bootstrap = broker.CreateBootstrap() };
        settings.Set("Topics:Features", topics.Features);
        settings.Set("Topics:Results", topics.Results);
        settings.Set("Topics:DeadLetter", topics.DeadLetter);
        settings.Set("Cloud:GroupId", $"looping-{Guid.NewGuid():N}");
        settings.Set("Models:Path", TestPaths.Models);
        settings.Set("Models:DefaultModel", "esrgan-slim-x4");
        settings.Set("Edge:Cameras:0:Id", CameraId);
        settings.Set("Edge:Cameras:0:Source", TestPaths.SampleClip);
        settings.Set("Edge:Cameras:0:RealTime", true);
        settings.Set("Edge:Cameras:0:Loop", true);
        settings.Set("Edge:Filters:MaxFramesPerSecond", 2);
        settings.Set("Edge:ShutdownTimeout", "00:00:10");
        settings.Set("Metrics:Urls", "http://127.0.0.1:0");

        app = PipelineRun.Build(settings);
        PipelineRun.Check(app, settings);
        using var timeout = new CancellationTokenSource(StartTimeout);
        await ServiceHost.StartAsync(app, timeout.Token);
        BaseAddress = new Uri(app.Urls.Single());
        await WaitForSynthesizedAsync(CameraId, 1, StartTimeout, timeout.Token);
    }

    /// <summary>Reads <c>GET /cameras/{id}</c>; null when the camera is not attached.</summary>
    public async Task<JsonElement?> GetCameraAsync(string cameraId, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await Http.GetAsync(new Uri(BaseAddress, $"/cameras/{cameraId}"), cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>Waits until a camera has at least <paramref name="count"/> synthesized frames.</summary>
    public async Task WaitForSynthesizedAsync(string cameraId, long count, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        JsonElement? camera = null;
        try
        {
            while (true)
            {
                camera = await GetCameraAsync(cameraId, timeout.Token);
                if (camera?.GetProperty("counts").GetProperty("synthesized").GetInt64() >= count)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Camera {cameraId} had fewer than {count} synthesized frames after {limit}: {camera}");
        }
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
}
