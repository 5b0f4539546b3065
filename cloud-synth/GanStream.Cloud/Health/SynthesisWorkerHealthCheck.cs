using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GanStream.Cloud.Health;

/// <summary>
/// Readiness of a synthesis worker. It is healthy once its default model is loaded and warmed up and its consumer
/// has subscribed. It is unhealthy before that, after the worker stopped, and when it failed.
/// </summary>
public sealed class SynthesisWorkerHealthCheck : IHealthCheck
{
    private readonly SynthesisWorker worker;

    public SynthesisWorkerHealthCheck(SynthesisWorker worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        this.worker = worker;
    }

    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        if (worker.ExecuteTask is { IsFaulted: true } failed)
        {
            string reason = failed.Exception!.GetBaseException().Message;
            return Task.FromResult(HealthCheckResult.Unhealthy($"The synthesis worker failed: {reason}"));
        }

        if (worker.ReadyModel is not { } model)
        {
            return Task.FromResult(
                HealthCheckResult.Unhealthy("The model is not loaded and warmed up yet, or the worker stopped."));
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["model"] = model.Id,
            ["executionProvider"] = model.ExecutionProvider,
        };
        string description = $"Model {model.Id} is ready on {model.ExecutionProvider}.";
        return Task.FromResult(HealthCheckResult.Healthy(description, data));
    }
}
