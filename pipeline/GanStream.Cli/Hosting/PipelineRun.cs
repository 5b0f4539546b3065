using GanStream.Cli.Summary;
using GanStream.Cloud;
using GanStream.Edge;
using GanStream.Edge.Replies;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GanStream.Cli.Hosting;

/// <summary>One pass of the whole pipeline over the configured input, ending in a run summary.</summary>
internal static class PipelineRun
{
    /// <summary>
    /// Runs until the edge's input has ended and its results are in, or until the run is interrupted (Ctrl+C,
    /// SIGTERM or <paramref name="cancellationToken"/>), then stops the services in order and returns the summary.
    /// </summary>
    /// <exception cref="CliException">The input, model, broker or metrics address is unusable, or the worker failed.</exception>
    public static Task<RunSummary> ExecuteAsync(HostSettings settings, CancellationToken cancellationToken) =>
        ExecuteAsync(settings, [], cancellationToken);

    /// <summary>
    /// Runs like <see cref="ExecuteAsync(HostSettings, CancellationToken)"/>, and also hands every synthesized result
    /// the edge matches to a frame to each of <paramref name="resultObservers"/>, on the edge's listener thread.
    /// </summary>
    public static async Task<RunSummary> ExecuteAsync(
        HostSettings settings,
        IReadOnlyList<IResultObserver> resultObservers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resultObservers);
        await using WebApplication app = Build(settings, resultObservers);
        Check(app, settings);
        await ServiceHost.StartAsync(app, cancellationToken);

        EdgeRunReport report = await EdgeCompletion.WaitAndStopAsync(app, cancellationToken);

        if (app.Services.GetService<SynthesisWorker>()?.ExecuteTask is { IsFaulted: true } failed)
        {
            throw new CliException($"The synthesis worker failed: {failed.Exception!.GetBaseException().Message}");
        }

        if (ServiceHost.ModeOf(app.Configuration) == PipelineMode.EdgeOnly)
        {
            string localModel = app.Services.GetRequiredService<IOptions<EdgeOptions>>().Value.Features.LocalModel;
            return RunSummary.Create(report, localModel, "none (edge-only)");
        }

        KafkaBootstrap bootstrap = app.Services.GetRequiredService<KafkaBootstrap>();
        string broker = bootstrap.Embedded is null ? bootstrap.BootstrapServers : "embedded";
        return RunSummary.Create(report, app.Configuration["Models:DefaultModel"] ?? string.Empty, broker);
    }

    /// <summary>Builds the host of the whole pipeline, not started; the caller disposes it.</summary>
    public static WebApplication Build(HostSettings settings, IReadOnlyList<IResultObserver>? resultObservers = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Preflight.CheckOpenCv();

        var gate = new StartGate();
        return ServiceHost.Build(settings, (services, configuration) =>
        {
            foreach (IResultObserver observer in resultObservers ?? [])
            {
                services.AddSingleton(observer);
            }

            // Edge-only runs no worker, and its edge starts without waiting for one.
            if (ServiceHost.ModeOf(configuration) != PipelineMode.EdgeOnly)
            {
                services.AddSingleton(gate);
                services.AddSynthesisWorker();
            }

            services.AddEdgeIngest();
        });
    }

    /// <summary>Checks the input, the model and the brokers of a built pipeline before it starts.</summary>
    /// <exception cref="CliException">The input, model or broker is unusable.</exception>
    public static void Check(WebApplication app, HostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        KafkaOptions kafka = app.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
        EdgeOptions edge = app.Services.GetRequiredService<IOptions<EdgeOptions>>().Value;
        if (edge.Cameras.Count == 0)
        {
            throw new CliException("No input: give --input or configure Edge:Cameras.");
        }

        Preflight.CheckMetricsUrls(app.Configuration["Metrics:Urls"]);
        Preflight.CheckSettings(() =>
        {
            edge.Validate();
            app.Services.GetRequiredService<IOptions<CloudOptions>>().Value.Validate();
            app.Services.GetRequiredService<IOptions<LinkOptions>>().Value.Validate();
            app.Services.GetRequiredService<IOptions<Pipeline.Models.InferenceOptions>>().Value.Validate();
        });
        Preflight.CheckSource(edge.Cameras[0].Source, "--input");
        Preflight.CheckModel(app.Configuration["Models:Path"] ?? "models", app.Configuration["Models:DefaultModel"], "--model");
        if (settings.Bootstrap is null && ServiceHost.ModeOf(app.Configuration) != PipelineMode.EdgeOnly)
        {
            Preflight.CheckBroker(kafka);
        }
    }
}
