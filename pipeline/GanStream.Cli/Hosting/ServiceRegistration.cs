using GanStream.Cloud;
using GanStream.Cloud.Health;
using GanStream.Edge;
using GanStream.Edge.Health;
using GanStream.Edge.Replies;
using GanStream.Edge.Viewer;
using Microsoft.Extensions.DependencyInjection;

namespace GanStream.Cli.Hosting;

/// <summary>Registers each service with its readiness check, the same way for every command that runs it.</summary>
internal static class ServiceRegistration
{
    /// <summary>Adds a synthesis worker as a hosted singleton and its readiness check.</summary>
    public static IServiceCollection AddSynthesisWorker(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<SynthesisWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<SynthesisWorker>());
        services.AddSingleton<SynthesisWorkerHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<SynthesisWorkerHealthCheck>("synthesis-worker", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    /// <summary>Adds an edge ingest service as a hosted singleton, its readiness check and its live viewer.</summary>
    public static IServiceCollection AddEdgeIngest(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<LiveViewer>();
        services.AddSingleton<IResultObserver>(provider => provider.GetRequiredService<LiveViewer>());
        services.AddSingleton<EdgeIngestService>();
        services.AddHostedService(provider => provider.GetRequiredService<EdgeIngestService>());
        services.AddSingleton<EdgeCamerasHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<EdgeCamerasHealthCheck>("edge-cameras", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }
}
