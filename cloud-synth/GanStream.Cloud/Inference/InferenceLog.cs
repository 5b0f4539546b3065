using Microsoft.Extensions.Logging;

namespace GanStream.Cloud.Inference;

/// <summary>Log messages of the worker's model handling; event ids 3100-3199.</summary>
internal static partial class InferenceLog
{
    [LoggerMessage(
        EventId = 3100,
        Level = LogLevel.Debug,
        Message = "Inference of a {Width}x{Height} frame in {TileCount} tiles of {TileWidth}x{TileHeight} " +
            "on {ModelId} took {ElapsedMs:F1} ms")]
    public static partial void TiledFrameInferred(
        ILogger logger,
        int width,
        int height,
        int tileCount,
        int tileWidth,
        int tileHeight,
        string modelId,
        double elapsedMs);
}
