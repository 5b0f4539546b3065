using Microsoft.Extensions.Logging;

namespace GanStream.Pipeline.Gpu;

/// <summary>Log messages of the GPU metrics; event ids 5000-5009.</summary>
internal static partial class GpuLog
{
    [LoggerMessage(
        EventId = 5000,
        Level = LogLevel.Information,
        Message = "Exporting metrics of {Count} GPU(s) read through NVML")]
    public static partial void GpuMetricsStarted(ILogger logger, int count);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "GPU metrics are not exported: {Reason}")]
    public static partial void NvmlUnavailable(ILogger logger, string reason);

    [LoggerMessage(
        EventId = 5002,
        Level = LogLevel.Warning,
        Message = "NVML could not read some GPUs (NVML error codes {ErrorCodes}); their series are left out")]
    public static partial void GpuReadFailed(ILogger logger, string errorCodes);
}
