using System.CommandLine;
using System.CommandLine.Parsing;
using GanStream.Cli.Hosting;
using GanStream.Cli.Soak;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Kafka;

namespace GanStream.Cli.Commands;

/// <summary>
/// <c>ganstream soak</c>: the whole pipeline on an embedded cluster for a long time, with the input looped and faults
/// injected at random, printing the counts and the resident memory as it goes and a verdict at the end.
/// </summary>
internal static class SoakCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        Option<TimeSpan> duration = DurationOption(
            "--duration",
            TimeSpan.FromMinutes(10),
            "Time under load before the pipeline is stopped, for example 10m or 90s. Default: 10m.");
        Option<TimeSpan> faultInterval = DurationOption(
            "--fault-interval",
            TimeSpan.FromSeconds(30),
            "Time between the starts of two faults; each lasts at most half of it. Default: 30s.");
        Option<TimeSpan> reportInterval = DurationOption(
            "--report-interval",
            TimeSpan.FromSeconds(30),
            "Time between two rows of the table. Default: 30s.");
        var seed = new Option<int?>("--seed")
        {
            Description = "Seed of the fault generator; the same seed injects the same faults in the same order. " +
                "Default: random, printed.",
        };
        var input = new Option<string>("--input", "-i")
        {
            Description = "Video file read in a loop (Edge:Cameras:0:Source).",
            DefaultValueFactory = _ => RunCommand.DefaultInput,
        };

        var command = new Command(
            "soak",
            "Run the whole pipeline on an embedded broker for a long time with faults injected at random (broker " +
            "down, request errors, round-trip spikes, corrupt messages), and check that every frame is accounted " +
            "for and memory stays flat.");
        command.Options.Add(duration);
        command.Options.Add(faultInterval);
        command.Options.Add(reportInterval);
        command.Options.Add(seed);
        command.Options.Add(input);
        common.AddTo(command, deployment: false);
        common.Model.Description = common.Model.Description!.Replace(
            "Default: esrgan-medium-x4.",
            "Default: esrgan-slim-x4.",
            StringComparison.Ordinal);

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(common.BootstrapServers) is not null)
            {
                throw new CliException(
                    "--bootstrap-servers: the soak injects faults into its own embedded broker; leave the option out.");
            }

            var soak = new SoakSettings(
                parse.GetValue(duration),
                parse.GetValue(seed) ?? Random.Shared.Next(),
                parse.GetValue(faultInterval),
                parse.GetValue(reportInterval));
            string source = ContentPaths.Resolve(parse.GetValue(input)!);
            return await SoakRun.ExecuteAsync(
                soak,
                bootstrap => CreateSettings(common, parse, bootstrap, source),
                Console.Out,
                cancellationToken);
        });
        return command;
    }

    private static HostSettings CreateSettings(
        CommonOptions common,
        ParseResult parse,
        KafkaBootstrap bootstrap,
        string source)
    {
        HostSettings given = common.CreateSettings(parse);
        var settings = new HostSettings
        {
            ConfigFile = given.ConfigFile,
            LogFormat = given.LogFormat,
            Bootstrap = bootstrap,
        };
        foreach ((string key, string? value) in given.Overrides)
        {
            settings.Overrides[key] = value;
        }

        // The slim model keeps frames flowing on a CPU, so the soak exercises the pipeline rather than inference.
        settings.CommandDefaults["Models:DefaultModel"] = "esrgan-slim-x4";
        settings.CommandDefaults["Metrics:Urls"] = "http://127.0.0.1:0";
        settings.CommandDefaults["Logging:LogLevel:Default"] = "Warning";
        settings.CommandDefaults["Edge:ResultTimeout"] = TimeSpan.FromSeconds(60).ToString("c");
        settings.Set("Edge:Cameras:0:Id", "soak");
        settings.Set("Edge:Cameras:0:Source", source);
        settings.Set("Edge:Cameras:0:Loop", true);
        return settings;
    }

    private static Option<TimeSpan> DurationOption(string name, TimeSpan defaultValue, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = Parse,
    };

    private static TimeSpan Parse(ArgumentResult result)
    {
        string? text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (DurationParser.TryParse(text, out TimeSpan value) && value > TimeSpan.Zero)
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration; write it as 90s, 10m, 2h or hh:mm:ss.");
        return TimeSpan.Zero;
    }
}
