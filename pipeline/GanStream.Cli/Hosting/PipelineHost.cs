using GanStream.Cloud;
using GanStream.Edge;
using GanStream.Pipeline.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GanStream.Cli.Hosting;

/// <summary>
/// The whole pipeline in one process, held open for callers that watch it while it runs (the soak run): the embedded
/// broker unless brokers are configured, one synthesis worker and one edge.
/// </summary>
/// <remarks>
/// Stopping order: the host stops its services in reverse registration order. The edge stops first (capture,
/// producer flush, results of frames in flight) while the worker still runs. Then the worker stops (polling, stage
/// drain, flush, commit, close), and last the metrics endpoint.
/// </remarks>
internal sealed class PipelineHost : IAsyncDisposable
{
    private PipelineHost(WebApplication app)
    {
        App = app;
    }

    public WebApplication App { get; }

    public EdgeIngestService Edge => App.Services.GetRequiredService<EdgeIngestService>();

    public SynthesisWorker Worker => App.Services.GetRequiredService<SynthesisWorker>();

    public KafkaBootstrap Bootstrap => App.Services.GetRequiredService<KafkaBootstrap>();

    /// <summary>Builds the host and checks its input, model and brokers before anything starts.</summary>
    /// <exception cref="CliException">The input, model or broker is unusable.</exception>
    public static PipelineHost Create(HostSettings settings)
    {
        WebApplication app = PipelineRun.Build(settings);
        try
        {
            PipelineRun.Check(app, settings);
            return new PipelineHost(app);
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }
    }

    /// <summary>Starts the services, turning a metrics address that is taken into a message for the user.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => ServiceHost.StartAsync(App, cancellationToken);

    /// <summary>
    /// Waits until the edge's input has ended and its results are in, or until the process is asked to stop, then
    /// stops the services in order and returns the edge's report.
    /// </summary>
    public Task<EdgeRunReport> RunToCompletionAsync(CancellationToken cancellationToken) =>
        EdgeCompletion.WaitAndStopAsync(App, cancellationToken);

    /// <summary>Throws when the worker stopped with an error.</summary>
    /// <exception cref="CliException">The worker failed.</exception>
    public void ThrowIfWorkerFailed()
    {
        if (Worker.ExecuteTask is { IsFaulted: true } failed)
        {
            throw new CliException($"The synthesis worker failed: {failed.Exception!.GetBaseException().Message}");
        }
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
