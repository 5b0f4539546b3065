using System.CommandLine;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Models;

namespace GanStream.Cli.Commands;

/// <summary>Options shared by the service commands, each mapped to one configuration key.</summary>
internal sealed class CommonOptions
{
    public Option<string?> BootstrapServers { get; } = new("--bootstrap-servers")
    {
        Description = "Kafka brokers as host:port,host:port (Kafka:BootstrapServers). Without it an embedded broker starts inside the process.",
    };

    public Option<string?> ConfigFile { get; } = new("--config")
    {
        Description = "JSON configuration file read after appsettings.json; environment variables (GANSTREAM_Section__Key) and options override it.",
    };

    public Option<string?> ModelRepository { get; } = new("--model-repository")
    {
        Description = "Folder of the model repository (Models:Path). Default: models.",
    };

    public Option<string?> Model { get; } = new("--model", "-m")
    {
        Description = "Model to run, as name or name:version (Models:DefaultModel). Default: esrgan-medium-x4.",
    };

    public Option<ExecutionProviderPreference?> ExecutionProvider { get; } = new("--execution-provider")
    {
        Description = "Auto uses CUDA when present and falls back to the CPU; Cuda or Cpu forces one (Inference:ExecutionProvider).",
    };

    public Option<int?> Threads { get; } = new("--threads")
    {
        Description = "CPU threads per inference call; 0 uses one per physical core (Inference:IntraOpThreads).",
    };

    public Option<string?> MetricsUrl { get; } = new("--metrics-url")
    {
        Description = "Address that serves /metrics, /health/live and /health/ready, for example " +
            "http://0.0.0.0:9464; port 0 picks a free port (Metrics:Urls). Default: http://127.0.0.1:9464.",
    };

    public Option<string> LogFormat { get; } = new("--log-format")
    {
        Description = "Log output: text (one line per message with its event id) or json (one object per message " +
            "with event id, state and scopes).",
        DefaultValueFactory = _ => "text",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(BootstrapServers);
        command.Options.Add(ConfigFile);
        command.Options.Add(ModelRepository);
        command.Options.Add(Model);
        command.Options.Add(ExecutionProvider);
        command.Options.Add(Threads);
        command.Options.Add(MetricsUrl);
        command.Options.Add(LogFormat);
        LogFormat.AcceptOnlyFromAmong("text", "json");
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
        return settings;
    }
}
