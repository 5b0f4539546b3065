using GanStream.Cli.Hosting;
using GanStream.Cloud;
using GanStream.Edge;
using GanStream.Pipeline.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GanStream.Tests.Support;

/// <summary>
/// Runs a synthesis worker, an edge, or the whole pipeline in this process with the command's own host setup, test
/// topics, the shipped models and a log recorder.
/// </summary>
internal static class ServiceRunner
{
    /// <summary>Host settings that every test service shares: the test broker, unique topics, the slim model.</summary>
    public static HostSettings CreateSettings(KafkaBootstrap bootstrap, TopicOptions topics, string groupId)
    {
        var settings = new HostSettings { Bootstrap = bootstrap };
        settings.Set("Topics:Features", topics.Features);
        settings.Set("Topics:Results", topics.Results);
        settings.Set("Topics:DeadLetter", topics.DeadLetter);
        settings.Set("Cloud:GroupId", groupId);
        settings.Set("Models:Path", TestPaths.Models);
        settings.Set("Models:DefaultModel", "esrgan-slim-x4");
        settings.Set("Metrics:Urls", "http://127.0.0.1:0");
        return settings;
    }

    /// <summary>Builds and starts a host that runs one synthesis worker.</summary>
    public static async Task<WebApplication> StartWorkerAsync(
        HostSettings settings,
        RecordingLoggerProvider logs,
        CancellationToken cancellationToken)
    {
        settings.AddServices = services => services.AddSingleton<ILoggerProvider>(logs);
        WebApplication app = ServiceHost.Build(settings, services =>
        {
            services.AddSingleton<SynthesisWorker>();
            services.AddHostedService(provider => provider.GetRequiredService<SynthesisWorker>());
        });
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>Builds a whole pipeline (worker and edge) with a log recorder; the caller starts it.</summary>
    public static PipelineHost CreatePipeline(HostSettings settings, RecordingLoggerProvider logs)
    {
        settings.AddServices = services => services.AddSingleton<ILoggerProvider>(logs);
        return PipelineHost.Create(settings);
    }

    public static SynthesisWorker Worker(this WebApplication app) => app.Services.GetRequiredService<SynthesisWorker>();

    public static EdgeIngestService Edge(this WebApplication app) => app.Services.GetRequiredService<EdgeIngestService>();
}
