using Microsoft.Extensions.Logging;

namespace GanStream.Pipeline.Models;

/// <summary>Log messages of model loading and inference; event ids 3500-3599.</summary>
internal static partial class ModelLog
{
    [LoggerMessage(
        EventId = 3500,
        Level = LogLevel.Warning,
        Message = "CUDA execution provider unavailable ({Reason}); running models on the CPU")]
    public static partial void CudaUnavailable(ILogger logger, string? reason);

    [LoggerMessage(
        EventId = 3501,
        Level = LogLevel.Information,
        Message = "Loaded model {ModelId} from {Path} on {ExecutionProvider} in {ElapsedMs:F0} ms")]
    public static partial void ModelLoaded(ILogger logger, string modelId, string path, string executionProvider, double elapsedMs);

    [LoggerMessage(
        EventId = 3502,
        Level = LogLevel.Information,
        Message = "Warmed up model {ModelId} with a {Width}x{Height} input in {ElapsedMs:F0} ms")]
    public static partial void ModelWarmedUp(ILogger logger, string modelId, int width, int height, double elapsedMs);
}
