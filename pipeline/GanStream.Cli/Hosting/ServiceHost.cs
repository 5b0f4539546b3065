using GanStream.Cloud;
using GanStream.Edge;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Models;
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
/// logging, the shared pipeline services, and the HTTP endpoint that serves <c>/metrics</c>.
/// </summary>
internal static class ServiceHost
{
    public const string EnvironmentPrefix = "GANSTREAM_";

    private static readonly TimeSpan CompletionGrace = TimeSpan.FromSeconds(10);

    public static WebApplication Build(HostSettings settings, Action<IServiceCollection> addServices)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(addServices);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });

        ConfigureSources(builder.Configuration, settings);
        ConfigureLogging(builder.Logging, builder.Configuration, settings.LogFormat);
        builder.WebHost.UseUrls(builder.Configuration["Metrics:Urls"] ?? "http://127.0.0.1:9464");
        // Covers the edge's shutdown drain (Edge:ShutdownTimeout, 20 s by default) followed by the worker's stage drain
        // and producer flush (each up to Cloud:DrainTimeout, 30 s by default).
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromMinutes(2));
        AddPipelineServices(builder.Services, builder.Configuration, settings.Bootstrap);
        addServices(builder.Services);
        settings.AddServices?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        app.MapMetrics("/metrics");
        return app;
    }

    /// <summary>Starts the host, turning a metrics address that is taken into a message for the user.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new CliException(
                $"--metrics-url: {exception.Message} Stop the other process, or choose another address, for example " +
                "--metrics-url http://127.0.0.1:0 for any free port.",
                exception);
        }
    }

    /// <summary>
    /// Waits until an edge's input has ended and its results are in, or until the process is asked to stop (SIGTERM,
    /// Ctrl+C) or <paramref name="cancellationToken"/> fires; then stops the host, which lets the edge finish its
    /// shutdown drain, and returns the edge's report, which exists also after a stop.
    /// </summary>
    /// <exception cref="CliException">The edge did not finish after the host stopped.</exception>
    public static async Task<EdgeRunReport> RunEdgeToCompletionAsync(
        WebApplication app,
        EdgeIngestService edge,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(edge);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(
            cancellationToken,
            app.Lifetime.ApplicationStopping);
        try
        {
            await edge.Completion.WaitAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Asked to stop: the edge finishes its shutdown drain while the host stops it below.
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }

        try
        {
            return await edge.Completion.WaitAsync(CompletionGrace, CancellationToken.None);
        }
        catch (TimeoutException exception)
        {
            throw new CliException(
                "The edge did not finish its shutdown within the host's shutdown timeout; no summary is available.",
                exception);
        }
    }

    private static void ConfigureSources(ConfigurationManager configuration, HostSettings settings)
    {
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

    private static void ConfigureLogging(ILoggingBuilder logging, IConfiguration configuration, string format)
    {
        logging.ClearProviders();
        logging.AddConfiguration(configuration.GetSection("Logging"));
        if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(options => options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ");
            return;
        }

        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
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

        services.AddSingleton(provider => bootstrap ?? KafkaBootstrap.Create(
            provider.GetRequiredService<IOptions<KafkaOptions>>().Value,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("GanStream.Kafka")));
        services.AddSingleton(provider => new ModelRepository(
            provider.GetRequiredService<IOptions<ModelRepositoryOptions>>().Value,
            provider.GetRequiredService<IOptions<InferenceOptions>>().Value,
            provider.GetRequiredService<ILogger<ModelRepository>>()));
    }
}
