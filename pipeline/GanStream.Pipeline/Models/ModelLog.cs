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
        Message = "Warmed up model {ModelId} with a batch of {BatchSize} {Width}x{Height} inputs ({Source}) " +
            "in {ElapsedMs:F0} ms")]
    public static partial void ModelWarmedUp(
        ILogger logger,
        string modelId,
        int batchSize,
        int width,
        int height,
        string source,
        double elapsedMs);

    [LoggerMessage(
        EventId = 3503,
        Level = LogLevel.Error,
        Message = "Model {Model} version {Version} at {Path} failed to load and is not served: {Error}")]
    public static partial void VersionRejected(ILogger logger, string model, int version, string path, string error);

    [LoggerMessage(
        EventId = 3504,
        Level = LogLevel.Information,
        Message = "Model {Model} now serves version {NewVersion} in place of {OldVersion}; " +
            "version {OldVersion} is unloaded when its in-flight frames finish")]
    public static partial void VersionSwitched(ILogger logger, string model, int newVersion, int oldVersion);

    [LoggerMessage(EventId = 3505, Level = LogLevel.Information, Message = "Unloaded model {ModelId}")]
    public static partial void ModelUnloaded(ILogger logger, string modelId);

    [LoggerMessage(
        EventId = 3506,
        Level = LogLevel.Warning,
        Message = "Scan of model {Model} in {Path} for a new version failed: {Error}")]
    public static partial void ScanFailed(ILogger logger, string model, string path, string error);

    [LoggerMessage(
        EventId = 3507,
        Level = LogLevel.Information,
        Message = "Scanning the model repository {Path} for new versions every {Interval}")]
    public static partial void ReloadStarted(ILogger logger, string path, TimeSpan interval);
}
