using GanStream.Edge;
using GanStream.Edge.Output;
using GanStream.Edge.Replies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GanStream.Cli.Hosting;

/// <summary>Adds the edge's per-frame log when <c>Edge:FrameLog:Path</c> is set and the host runs an edge.</summary>
internal static class FrameLogRegistration
{
    /// <exception cref="CliException">The <c>Edge:FrameLog</c> settings are invalid.</exception>
    public static void AddIfConfigured(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!services.Any(service => service.ServiceType == typeof(EdgeIngestService)))
        {
            return;
        }

        var options = new FrameLogOptions();
        configuration.GetSection(FrameLogOptions.SectionName).Bind(options);
        if (!options.IsEnabled)
        {
            return;
        }

        Preflight.CheckSettings(options.Validate);

        // The container disposes the writer when the host is disposed, after the edge has stopped, which flushes it.
        services.AddSingleton<IResultObserver>(provider => new FrameLogWriter(
            options,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<FrameLogWriter>()));
    }
}
