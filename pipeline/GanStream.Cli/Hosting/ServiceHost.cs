using GanStream.Cloud;
using GanStream.Edge;
using GanStream.Pipeline.Gpu;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Models;
using GanStream.Pipeline.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace GanStream.Cli.Hosting;

/// <summary>
/// Builds the host of a service command: configuration in the usual .NET precedence (appsettings.json next to the
/// program, an optional <c>--config</c> file, <c>GANSTREAM_</c> environment variables, then command-line options),
/// logging, the shared pipeline services, and the HTTP endpoint that serves <c>/metrics</c>, <c>/health/live</c> and
/// <c>/health/ready</c> on the address of <c>Metrics:Urls</c>, and on an edge also <c>/viewer</c> and <c>/cameras</c>.
/// </summary>
internal static class ServiceHost
{
    public const string EnvironmentPrefix = "GANSTREAM_";

    public static WebApplication Build(HostSettings settings, Action<IServiceCollection> addServices)
    {
        ArgumentNullException.ThrowIfNull(addServices);
        return Build(settings, (services, _) => addServices(services));
    }

    /// <summary>Builds a host whose services depend on its configuration, for example on the deployment mode.</summary>
    public static WebApplication Build(HostSettings settings, Action<IServiceCollection, IConfiguration> addServices)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(addServices);
        ConfigureDefaultMetrics();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });

        try
        {
            ConfigureSources(builder.Configuration, settings);
        }
        catch (Exception exception) when (exception is InvalidDataException or FileNotFoundException or FormatException)
        {
            string detail = exception.InnerException is { } inner ? $" {inner.Message}" : string.Empty;
            throw new CliException($"--config: {exception.Message}{detail}", exception);
        }

        ConfigureLogging(builder.Logging, builder.Configuration, settings.LogFormat);
        builder.WebHost.UseUrls(builder.Configuration["Metrics:Urls"] ?? "http://127.0.0.1:9464");
        // Covers the edge's shutdown drain (Edge:ShutdownTimeout, 20 s by default) followed by the worker's stage drain
        // and producer flush (each up to Cloud:DrainTimeout, 30 s by default).
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromMinutes(2));
        AddPipelineServices(builder.Services, builder.Configuration, settings.Bootstrap);
        addServices(builder.Services, builder.Configuration);
        FrameLogRegistration.AddIfConfigured(builder.Services, builder.Configuration);
        settings.AddServices?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        app.MapMetrics("/metrics");
        HealthEndpoints.Map(app);
        EdgeEndpoints.Map(app);
        GpuMetrics.StartOnce(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GanStream.Gpu"));
        return app;
    }

    /// <summary>
    /// Keeps prometheus-net's process metrics (<c>process_*</c>, <c>dotnet_*</c>) and turns off its adapters for .NET
    /// meters and event counters and its own debug metrics, whose names break Prometheus conventions (gauges ending in
    /// <c>_total</c> or <c>_count</c>) so that <c>promtool check metrics</c> rejects them. Takes effect only before the
    /// default registry is first collected.
    /// </summary>
    public static void ConfigureDefaultMetrics() =>
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions
        {
            SuppressProcessMetrics = false,
            SuppressDebugMetrics = true,
            SuppressEventCounters = true,
            SuppressMeters = true,
        });

    /// <summary>The edge's own paths that the host serves, as a phrase for the log; empty without an edge.</summary>
    private static string EdgePaths(WebApplication app)
    {
        if (app.Services.GetService<EdgeIngestService>() is null)
        {
            return string.Empty;
        }

        EdgeOptions edge = app.Services.GetRequiredService<IOptions<EdgeOptions>>().Value;
        string[] paths = [.. edge.Viewer.Enabled ? ["/viewer"] : Array.Empty<string>(), .. edge.CameraApi.Enabled ? ["/cameras"] : Array.Empty<string>()];
        return paths.Length == 0 ? string.Empty : $", and the edge's {string.Join(" and ", paths)},";
    }

    /// <summary>
    /// Stops what a failed start left running. A host that failed before it started any service cannot be stopped
    /// (its list of services is not set yet), and then there is nothing to stop.
    /// </summary>
    private static async Task StopAfterFailedStartAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync(CancellationToken.None);
        }
        catch (ArgumentNullException)
        {
            // Nothing was started; the start's own exception is the one to report.
        }
    }

    /// <summary>Starts the host, turning a metrics address that is taken into a message for the user.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // Services that did start are stopped before the host is disposed: a worker may still be loading its
            // model, and disposing an ONNX Runtime session while it runs crashes the process.
            await StopAfterFailedStartAsync(app);
            if (exception is System.Net.Sockets.SocketException or IOException { InnerException: System.Net.Sockets.SocketException })
            {
                throw new CliException(
                    $"--metrics-url: cannot listen on {app.Configuration["Metrics:Urls"]}: {exception.Message}. Use an address " +
                    "of this machine, for example http://127.0.0.1:9464 or http://0.0.0.0:9464.",
                    exception);
            }

            if (exception is IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException })
            {
                throw new CliException(
                    $"--metrics-url: {exception.Message} Stop the other process, or choose another address, for " +
                    "example --metrics-url http://127.0.0.1:0 for any free port.",
                    exception);
            }

            throw;
        }

        HostLog.Listening(app.Logger, EdgePaths(app), string.Join(", ", app.Urls));
    }

    /// <summary>
    /// Adds the configuration sources in their order of precedence: <c>appsettings.json</c> next to the program, the
    /// command's own defaults, the <c>--config</c> file, <c>GANSTREAM_</c> environment variables, then command-line
    /// options.
    /// </summary>
    public static void ConfigureSources(IConfigurationBuilder configuration, HostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        configuration.Sources.Clear();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        configuration.AddInMemoryCollection(settings.CommandDefaults);
        if (settings.ConfigFile is not null)
        {
            configuration.AddJsonFile(Path.GetFullPath(settings.ConfigFile), optional: false);
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddInMemoryCollection(settings.Overrides);
    }

    /// <summary>
    /// Sets up console logging from the <c>Logging</c> section: one line per message with its event id, or one JSON
    /// object per message (<paramref name="format"/> <c>json</c>) with event id, state and scopes.
    /// </summary>
    /// <param name="toStandardError">Writes every message to standard error, keeping standard output for data.</param>
    public static void ConfigureLogging(
        ILoggingBuilder logging,
        IConfiguration configuration,
        string format,
        bool toStandardError = false)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));

        // The host logs a failed start with its stack trace; the command reports that failure itself, in one line.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        if (toStandardError)
        {
            logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(options =>
            {
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
                options.IncludeScopes = true;
            });
            return;
        }

        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.IncludeScopes = true;
        });
    }

    private static void AddPipelineServices(IServiceCollection services, IConfiguration configuration, KafkaBootstrap? bootstrap)
    {
        services.Configure<KafkaOptions>(configuration.GetSection(KafkaOptions.SectionName));
        services.Configure<TopicOptions>(configuration.GetSection(TopicOptions.SectionName));
        services.Configure<ModelRepositoryOptions>(configuration.GetSection(ModelRepositoryOptions.SectionName));
        services.Configure<InferenceOptions>(configuration.GetSection(InferenceOptions.SectionName));
        services.Configure<EdgeOptions>(configuration.GetSection(EdgeOptions.SectionName));
        services.Configure<CloudOptions>(configuration.GetSection(CloudOptions.SectionName));
        // Bound by hand, so that the spellings of the command line (edge-only) work in files and variables too.
        PipelineMode mode = ModeOf(configuration);
        services.Configure<PipelineOptions>(options => options.Mode = mode);
        services.Configure<LinkOptions>(configuration.GetSection(LinkOptions.SectionName));

        services.AddSingleton(provider => mode == PipelineMode.EdgeOnly
            ? KafkaBootstrap.None
            : bootstrap ?? KafkaBootstrap.Create(
                provider.GetRequiredService<IOptions<KafkaOptions>>().Value,
                provider.GetRequiredService<ILoggerFactory>().CreateLogger("GanStream.Kafka")));
        services.AddSingleton(provider => new ModelRepository(
            provider.GetRequiredService<IOptions<ModelRepositoryOptions>>().Value,
            provider.GetRequiredService<IOptions<InferenceOptions>>().Value,
            provider.GetRequiredService<ILogger<ModelRepository>>()));

        if (mode != PipelineMode.EdgeOnly)
        {
            services.AddSingleton<KafkaBrokerHealthCheck>();
            services.AddHealthChecks().AddCheck<KafkaBrokerHealthCheck>("kafka", tags: [HealthEndpoints.ReadyTag]);
        }
    }

    /// <summary>The deployment mode the configuration selects.</summary>
    /// <exception cref="CliException">Pipeline:Mode names no mode.</exception>
    public static PipelineMode ModeOf(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? value = configuration[$"{PipelineOptions.SectionName}:{nameof(PipelineOptions.Mode)}"];
        try
        {
            return string.IsNullOrWhiteSpace(value) ? PipelineMode.Hybrid : PipelineOptions.ParseMode(value);
        }
        catch (ArgumentException exception)
        {
            throw new CliException($"Pipeline:Mode: {exception.Message}", exception);
        }
    }
}
