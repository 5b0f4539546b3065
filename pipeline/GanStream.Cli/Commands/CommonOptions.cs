using System.CommandLine;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Models;

namespace GanStream.Cli.Commands;

/// <summary>Options shared by the service commands, each mapped to one configuration key.</summary>
internal sealed class CommonOptions
{
    public Option<string?> BootstrapServers { get; } = new("--bootstrap-servers")
    {
        Description = "Kafka brokers as host:port,host:port (Kafka:BootstrapServers). Default: none, which starts an " +
            "embedded broker inside the process.",
    };

    public Option<string?> ConfigFile { get; } = new("--config")
    {
        Description = "JSON configuration file read after appsettings.json; environment variables " +
            "(GANSTREAM_Section__Key) and options override it. Default: none.",
    };

    public Option<string?> ModelRepository { get; } = new("--model-repository")
    {
        Description = "Folder of the model repository (Models:Path). A relative path is looked up in the working " +
            "folder, then in the checkout. Default: models.",
    };

    public Option<string?> Model { get; } = new("--model", "-m")
    {
        Description = "Model to run, as name or name:version (Models:DefaultModel). Default: esrgan-medium-x4.",
    };

    public Option<ExecutionProviderPreference?> ExecutionProvider { get; } = new("--execution-provider")
    {
        Description = "Auto uses CUDA when present and falls back to the CPU; Cuda or Cpu forces one " +
            "(Inference:ExecutionProvider). Default: Auto.",
    };

    public Option<int?> Threads { get; } = NumberOption.IntegerInRange(
        "--threads",
        "threads",
        0,
        1024,
        "CPU threads per inference call; 0 uses one per physical core (Inference:IntraOpThreads). Default: 0.");

    public Option<string?> MetricsUrl { get; } = new("--metrics-url")
    {
        Description = "Address that serves /metrics, /health/live and /health/ready, and on an edge the live viewer " +
            "/viewer (Edge:Viewer:Enabled) and the camera API /cameras (Edge:CameraApi:Enabled, no authentication), " +
            "for example http://0.0.0.0:9464; port 0 picks a free port (Metrics:Urls). Default: http://127.0.0.1:9464.",
    };

    public Option<string?> Mode { get; } = new("--mode")
    {
        Description = "Deployment mode (Pipeline:Mode): hybrid (the edge filters and sends downscaled features, the " +
            "cloud runs the model), cloud-only (the edge sends whole frames, the cloud filters, downscales and " +
            "synthesizes) or edge-only (the edge runs Edge:Features:LocalModel itself, no broker). Default: hybrid.",
    };

    public Option<string?> Link { get; } = new("--link")
    {
        Description = "Emulate the edge-cloud link as UP/DOWN/RTT[/JITTER]: uplink and downlink in Mbit/s, round " +
            "trip and jitter in ms, for example 20/50/30 (Link:UplinkMbps, DownlinkMbps, RoundTripMs, JitterMs). " +
            "0 leaves a part out. Default: none.",
    };

    public Option<string?> LogFormat { get; } = new("--log-format")
    {
        Description = "Log output: text (one line per message with its event id) or json (one object per message " +
            "with event id, state and scopes). Default: text.",
    };

    /// <summary>Adds the options to a command.</summary>
    /// <param name="defaultMetricsUrl">The command's default metrics address, when it differs from the services'.</param>
    /// <param name="deployment">Whether the command takes <c>--mode</c> and <c>--link</c>.</param>
    public void AddTo(Command command, string? defaultMetricsUrl = null, bool deployment = true)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (defaultMetricsUrl is not null)
        {
            MetricsUrl.Description = MetricsUrl.Description!.Replace(
                "Default: http://127.0.0.1:9464.",
                $"Default: {defaultMetricsUrl}.",
                StringComparison.Ordinal);
        }

        command.Options.Add(BootstrapServers);
        command.Options.Add(ConfigFile);
        command.Options.Add(ModelRepository);
        command.Options.Add(Model);
        command.Options.Add(ExecutionProvider);
        command.Options.Add(Threads);
        command.Options.Add(MetricsUrl);
        if (deployment)
        {
            command.Options.Add(Mode);
            command.Options.Add(Link);
        }

        command.Options.Add(LogFormat);
        LogFormat.AcceptOnlyFromAmong("text", "json");
        Mode.AcceptOnlyFromAmong("hybrid", "cloud-only", "edge-only");
    }

    /// <summary>Creates host settings holding the values of the options that were given.</summary>
    public HostSettings CreateSettings(ParseResult parse)
    {
        var settings = new HostSettings
        {
            ConfigFile = parse.GetValue(ConfigFile),
            LogFormat = parse.GetValue(LogFormat) ?? "text",
        };

        settings.Set("Kafka:BootstrapServers", parse.GetValue(BootstrapServers));
        settings.Set("Models:Path", parse.GetValue(ModelRepository));
        settings.Set("Models:DefaultModel", parse.GetValue(Model));
        settings.Set("Inference:ExecutionProvider", parse.GetValue(ExecutionProvider));
        settings.Set("Inference:IntraOpThreads", parse.GetValue(Threads));
        settings.Set("Metrics:Urls", parse.GetValue(MetricsUrl));
        if (parse.GetValue(Mode) is { } mode)
        {
            PipelineMode parsed = PipelineOptions.ParseMode(mode);
            settings.Set("Pipeline:Mode", parsed.ToString());

            // In edge-only mode the edge's own generator is the model that runs, so --model chooses it.
            if (parsed == PipelineMode.EdgeOnly)
            {
                settings.Set("Edge:Features:LocalModel", parse.GetValue(Model));
            }
        }

        if (parse.GetValue(Link) is { } link)
        {
            LinkSpec.Apply(link, settings);
        }

        return settings;
    }
}
