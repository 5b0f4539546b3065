using System.Globalization;
using GanStream.Pipeline.Logging;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace GanStream.Pipeline.Gpu;

/// <summary>
/// Exports GPU utilization and memory, read at each scrape, with the labels <c>gpu</c> (device index) and
/// <c>name</c>. <see cref="StartOnce"/> starts the process-wide export when NVML loads; without it nothing is exported.
/// </summary>
public sealed class GpuMetrics
{
    public const string UtilizationName = "ganstream_gpu_utilization_ratio";
    public const string MemoryUsedName = "ganstream_gpu_memory_used_bytes";
    public const string MemoryTotalName = "ganstream_gpu_memory_total_bytes";

    private static readonly Lock StartLock = new();
    private static bool started;
    private static bool exporting;

    private readonly Func<List<int>, IReadOnlyList<GpuSample>> read;
    private readonly ILogger logger;
    private readonly Gauge utilization;
    private readonly Gauge memoryUsed;
    private readonly Gauge memoryTotal;
    private readonly Lock updateGate = new();
    private readonly HashSet<(string Gpu, string Name)> exported = [];
    private readonly LogThrottle warnings = new(TimeSpan.FromMinutes(1));

    /// <summary>Creates the gauges in <paramref name="registry"/> and updates them before each collection.</summary>
    /// <param name="read">Reads every GPU, adding the NVML error code of each failed read to its argument.</param>
    public GpuMetrics(CollectorRegistry registry, Func<List<int>, IReadOnlyList<GpuSample>> read, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(logger);
        this.read = read;
        this.logger = logger;

        IMetricFactory factory = Metrics.WithCustomRegistry(registry);
        string[] labels = ["gpu", "name"];
        utilization = factory.CreateGauge(
            UtilizationName,
            "Fraction of the last sample period in which a GPU kernel ran.",
            labels);
        memoryUsed = factory.CreateGauge(MemoryUsedName, "GPU memory allocated.", labels);
        memoryTotal = factory.CreateGauge(MemoryTotalName, "GPU memory installed.", labels);
        registry.AddBeforeCollectCallback(Update);
    }

    /// <summary>Names of the GPU metrics, which exist only where a GPU and its driver are present.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = [UtilizationName, MemoryUsedName, MemoryTotalName];

    /// <summary>
    /// Starts exporting to the default registry on the first call when NVML loads and initializes; later calls only
    /// return the outcome of the first.
    /// </summary>
    /// <returns>True when GPU metrics are exported.</returns>
    public static bool StartOnce(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        lock (StartLock)
        {
            if (started)
            {
                return exporting;
            }

            started = true;
            NvmlLibrary? nvml = NvmlLibrary.TryLoad(out string? problem);
            if (nvml is null)
            {
                GpuLog.NvmlUnavailable(logger, problem!);
                return false;
            }

            // NVML stays loaded for the life of the process, like the process collectors it sits next to.
            var metrics = new GpuMetrics(Metrics.DefaultRegistry, nvml.ReadAll, logger);
            int count = metrics.read([]).Count;
            GpuLog.GpuMetricsStarted(logger, count);
            exporting = true;
            return true;
        }
    }

    /// <summary>Reads the GPUs and sets the gauges; a GPU that can no longer be read loses its series.</summary>
    public void Update()
    {
        var errors = new List<int>();
        IReadOnlyList<GpuSample> samples = read(errors);
        lock (updateGate)
        {
            var current = new HashSet<(string Gpu, string Name)>();
            foreach (GpuSample sample in samples)
            {
                string gpu = sample.Index.ToString(CultureInfo.InvariantCulture);
                current.Add((gpu, sample.Name));
                utilization.WithLabels(gpu, sample.Name).Set(sample.UtilizationRatio);
                memoryUsed.WithLabels(gpu, sample.Name).Set(sample.MemoryUsedBytes);
                memoryTotal.WithLabels(gpu, sample.Name).Set(sample.MemoryTotalBytes);
            }

            foreach ((string gpu, string name) in exported.Except(current).ToList())
            {
                utilization.RemoveLabelled(gpu, name);
                memoryUsed.RemoveLabelled(gpu, name);
                memoryTotal.RemoveLabelled(gpu, name);
            }

            exported.Clear();
            exported.UnionWith(current);
        }

        if (errors.Count > 0 && warnings.TryAcquire("gpu", out _))
        {
            GpuLog.GpuReadFailed(logger, string.Join(", ", errors));
        }
    }
}
