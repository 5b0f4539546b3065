using Microsoft.Extensions.Logging;

namespace GanStream.Quality.Evaluation;

/// <summary>Log messages of image quality evaluation; event ids 4000-4099.</summary>
internal static partial class QualityLog
{
    [LoggerMessage(
        EventId = 4000,
        Level = LogLevel.Information,
        Message = "Feature networks loaded on {ExecutionProvider}: ResNet-18 from {ResNet18Directory}, Inception-v3 {Inception}")]
    public static partial void NetworksLoaded(
        ILogger logger,
        string executionProvider,
        string resNet18Directory,
        string inception);

    [LoggerMessage(
        EventId = 4001,
        Level = LogLevel.Warning,
        Message = "System {System} has {Frames} frames; FD needs at least {Minimum}, so it is not computed")]
    public static partial void TooFewFrames(ILogger logger, string system, int frames, int minimum);

    [LoggerMessage(
        EventId = 4002,
        Level = LogLevel.Information,
        Message = "Scored {System} on {Frames} frames in {ElapsedMs:F0} ms")]
    public static partial void SystemScored(ILogger logger, string system, int frames, double elapsedMs);
}
