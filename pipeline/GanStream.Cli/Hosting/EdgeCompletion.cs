using GanStream.Edge;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GanStream.Cli.Hosting;

/// <summary>Waits for a started host's edge to finish its input, or for the run to be interrupted, then stops the host.</summary>
internal static class EdgeCompletion
{
    private static readonly TimeSpan CompletionGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Returns the edge's report when its input has ended and its results are in, or when Ctrl+C, SIGTERM (which the
    /// host turns into ApplicationStopping) or <paramref name="cancellationToken"/> interrupts the run. Either way the
    /// host is stopped, which drains the services in order, before this returns; an interrupted run's report says so.
    /// </summary>
    /// <exception cref="CliException">The edge did not finish after the host stopped.</exception>
    public static async Task<EdgeRunReport> WaitAndStopAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        Task<EdgeRunReport> completion = app.Services.GetRequiredService<EdgeIngestService>().Completion;
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        bool interrupted = false;
        try
        {
            await completion.WaitAsync(interrupt.Token);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            interrupted = true;
        }
        finally
        {
            // Stopping drains the services: capture stops, the producer flushes, batches finish, offsets are
            // committed and the clients close.
            await app.StopAsync(CancellationToken.None);
        }

        EdgeRunReport report;
        try
        {
            report = await completion.WaitAsync(CompletionGrace, CancellationToken.None);
        }
        catch (TimeoutException exception)
        {
            throw new CliException(
                "The edge did not finish its shutdown within the host's shutdown timeout; no summary is available.",
                exception);
        }

        return interrupted ? report with { Interrupted = true } : report;
    }
}
