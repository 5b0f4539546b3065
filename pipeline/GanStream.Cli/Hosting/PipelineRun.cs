using GanStream.Cli.Summary;
using GanStream.Edge;

namespace GanStream.Cli.Hosting;

/// <summary>One pass of the whole pipeline over the configured input, ending in a run summary.</summary>
internal static class PipelineRun
{
    /// <summary>
    /// Runs until the edge's input has ended and its results are in, or until the process is asked to stop, then
    /// stops the services and summarises the run.
    /// </summary>
    /// <exception cref="CliException">The input, model, broker or metrics address is unusable, or the worker failed.</exception>
    public static async Task<RunSummary> ExecuteAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        await using PipelineHost host = PipelineHost.Create(settings);
        await host.StartAsync(cancellationToken);
        EdgeRunReport report = await host.RunToCompletionAsync(cancellationToken);
        host.ThrowIfWorkerFailed();

        string broker = host.Bootstrap.Embedded is null ? host.Bootstrap.BootstrapServers : "embedded";
        return RunSummary.Create(report, host.App.Configuration["Models:DefaultModel"] ?? string.Empty, broker);
    }
}
