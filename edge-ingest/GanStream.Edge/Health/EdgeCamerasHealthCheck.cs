using GanStream.Edge.Accounting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GanStream.Edge.Health;

/// <summary>
/// Readiness of an edge. It is healthy once every camera has been opened, and a source that reached its end counts
/// as opened. It is degraded when some cameras failed while the others run, and when every camera was removed. It is
/// unhealthy before the cameras are opened, when none could be opened, and when the edge failed. Until the configured
/// cameras have started it counts them; after that it counts the cameras attached now, attached at run time or not.
/// </summary>
public sealed class EdgeCamerasHealthCheck : IHealthCheck
{
    private readonly EdgeIngestService edge;
    private readonly EdgeOptions options;

    public EdgeCamerasHealthCheck(EdgeIngestService edge, IOptions<EdgeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(edge);
        ArgumentNullException.ThrowIfNull(options);
        this.edge = edge;
        this.options = options.Value;
    }

    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<CameraAccount> cameras = edge.Cameras;
        var data = cameras.ToDictionary(c => c.CameraId, c => (object)c.SourceState.ToString(), StringComparer.Ordinal);
        if (edge.Completion is { IsFaulted: true } failed)
        {
            string reason = failed.Exception!.GetBaseException().Message;
            return Task.FromResult(HealthCheckResult.Unhealthy($"The edge failed: {reason}", data: data));
        }

        int configured = edge.ConfiguredCamerasStarted ? cameras.Count : Math.Max(options.Cameras.Count, cameras.Count);
        if (configured == 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                "Every camera was removed; attach one with POST /cameras.",
                data: data));
        }

        int opened = cameras.Count(c => c.SourceState is CameraSourceState.Open or CameraSourceState.Ended);
        string[] failedIds = cameras
            .Where(c => c.SourceState == CameraSourceState.Failed)
            .Select(c => c.CameraId)
            .ToArray();
        int pending = configured - opened - failedIds.Length;

        HealthCheckResult result;
        if (pending > 0)
        {
            result = HealthCheckResult.Unhealthy(
                $"{opened} of {configured} cameras opened; {pending} still opening or reconnecting.",
                data: data);
        }
        else if (opened == 0)
        {
            result = HealthCheckResult.Unhealthy($"None of the {configured} cameras could be opened.", data: data);
        }
        else if (failedIds.Length > 0)
        {
            result = HealthCheckResult.Degraded(
                $"{opened} of {configured} cameras opened; failed: {string.Join(", ", failedIds)}.",
                data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"All {configured} cameras opened.", data);
        }

        return Task.FromResult(result);
    }
}
