using Prometheus;

namespace GanStream.Pipeline.Models;

/// <summary>Prometheus metrics of the model repository.</summary>
public static class ModelMetrics
{
    public static readonly Counter LoadFailures = Metrics.CreateCounter(
        "ganstream_model_load_failures_total",
        "Model versions that failed to load or failed the manifest checks, by model name.",
        "model");
}
