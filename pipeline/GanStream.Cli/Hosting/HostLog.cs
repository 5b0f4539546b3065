using Microsoft.Extensions.Logging;

namespace GanStream.Cli.Hosting;

/// <summary>Log messages of the service host.</summary>
internal static partial class HostLog
{
    [LoggerMessage(
        EventId = 5010,
        Level = LogLevel.Information,
        Message = "Serving /metrics, /health/live and /health/ready{EdgePaths} at {Urls}")]
    public static partial void Listening(ILogger logger, string edgePaths, string urls);
}
