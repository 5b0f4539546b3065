using System.CommandLine;
using GanStream.Cli.Hosting;
using GanStream.Cli.Tail;
using GanStream.Pipeline.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace GanStream.Cli.Commands;

/// <summary>
/// <c>ganstream tail</c>: prints the results arriving on the results topic, one line each, and saves the synthesized
/// images, until stopped.
/// </summary>
internal static class TailCommand
{
    public const string DefaultOutput = "out/results";

    public static Command Create()
    {
        var bootstrapServers = new Option<string?>("--bootstrap-servers")
        {
            Description = "Kafka brokers as host:port,host:port (Kafka:BootstrapServers). Required: tail reads a " +
                "running Kafka, or the embedded broker of another ganstream process at the address it logs at start.",
        };
        var topic = new Option<string?>("--topic", "-t")
        {
            Description = "Topic to read (Topics:Results). Default: ganstream.results.",
        };
        var fromBeginning = new Option<bool>("--from-beginning")
        {
            Description = "Start at the oldest message the topic keeps instead of at its end.",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = $"Folder for the images, one sub-folder per camera. Default: {DefaultOutput}. " +
                "Give --no-images to save none.",
        };
        var noImages = new Option<bool>("--no-images")
        {
            Description = "Print the results without saving their images.",
        };
        var maxMessages = new Option<long>("--max-messages", "-n")
        {
            Description = "Stop after this many results; 0 reads until stopped with Ctrl+C.",
            DefaultValueFactory = _ => 0,
        };
        var configFile = new Option<string?>("--config")
        {
            Description = "JSON configuration file read after appsettings.json; environment variables " +
                "(GANSTREAM_Section__Key) and options override it.",
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "Log output on standard error: text (one line per message) or json (one object per " +
                "message, with event id and scopes).",
            DefaultValueFactory = _ => "text",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");

        var command = new Command(
            "tail",
            "Print the results on the results topic, one line each, and save the synthesized images; delivery is " +
            "at-least-once, so a redelivered result is marked duplicate=true.");
        command.Options.Add(bootstrapServers);
        command.Options.Add(topic);
        command.Options.Add(fromBeginning);
        command.Options.Add(output);
        command.Options.Add(noImages);
        command.Options.Add(maxMessages);
        command.Options.Add(configFile);
        command.Options.Add(logFormat);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new HostSettings
            {
                ConfigFile = parse.GetValue(configFile),
                LogFormat = parse.GetValue(logFormat) ?? "text",
            };
            settings.Set("Kafka:BootstrapServers", parse.GetValue(bootstrapServers));
            settings.Set("Topics:Results", parse.GetValue(topic));

            var builder = new ConfigurationBuilder();
            ServiceHost.ConfigureSources(builder, settings);
            IConfigurationRoot configuration = builder.Build();
            KafkaOptions kafka = configuration.GetSection(KafkaOptions.SectionName).Get<KafkaOptions>() ?? new();
            TopicOptions topics = configuration.GetSection(TopicOptions.SectionName).Get<TopicOptions>() ?? new();
            if (kafka.UsesEmbeddedBroker)
            {
                throw new CliException(
                    "--bootstrap-servers is required: tail reads a running Kafka. To read the embedded broker of a " +
                    "'ganstream run', 'cloud' or 'edge' process, pass the address it logged when it started.");
            }

            var options = new ResultTailOptions
            {
                Topic = topics.Results,
                FromBeginning = parse.GetValue(fromBeginning),
                OutputDirectory = parse.GetValue(noImages)
                    ? null
                    : Path.GetFullPath(parse.GetValue(output) ?? DefaultOutput),
                MaxMessages = parse.GetValue(maxMessages),
            };

            using ILoggerFactory loggers = LoggerFactory.Create(logging =>
                ServiceHost.ConfigureLogging(logging, configuration, settings.LogFormat, toStandardError: true));
            ILogger logger = loggers.CreateLogger("GanStream.Tail");
            var tail = new ResultTail(options, kafka, kafka.BootstrapServers!, Console.Out, logger);
            await tail.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
