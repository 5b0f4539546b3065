using System.CommandLine;
using System.Globalization;
using GanStream.Cli.Hosting;
using GanStream.Cli.Summary;
using GanStream.Edge;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GanStream.Cli.Commands;

/// <summary><c>ganstream edge</c>: one edge service for the configured cameras, until its sources end or it is stopped.</summary>
internal static class EdgeCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var cameras = new Option<string[]>("--camera", "-c")
        {
            Description = "Camera as id=source, where source is a video file, an rtsp:// or http:// URL, or a device index; repeat for several (Edge:Cameras).",
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Folder for the synthesized videos (Edge:Output:Directory); none by default.",
        };
        Option<double?> maxFps = NumberOption.NonNegativeDouble(
            "--max-fps",
            "frames per second",
            "Most frames per second sent per camera; 0 sends all (Edge:Filters:MaxFramesPerSecond). Default: 0.");

        var command = new Command("edge", "Run an edge ingest service: read cameras, filter frames, publish features, collect results.");
        command.Options.Add(cameras);
        command.Options.Add(output);
        command.Options.Add(maxFps);
        common.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            HostSettings settings = common.CreateSettings(parse);
            string[] given = parse.GetValue(cameras) ?? [];
            for (int i = 0; i < given.Length; i++)
            {
                (string id, string source) = ParseCamera(given[i]);
                settings.Set($"Edge:Cameras:{i.ToString(CultureInfo.InvariantCulture)}:Id", id);
                settings.Set($"Edge:Cameras:{i.ToString(CultureInfo.InvariantCulture)}:Source", source);
            }

            settings.Set("Edge:Output:Directory", parse.GetValue(output) is { } folder ? Path.GetFullPath(folder) : null);
            settings.Set("Edge:Filters:MaxFramesPerSecond", parse.GetValue(maxFps));

            Preflight.CheckOpenCv();
            await using WebApplication app = ServiceHost.Build(settings, services => services.AddEdgeIngest());
            EdgeOptions edge = app.Services.GetRequiredService<IOptions<EdgeOptions>>().Value;
            if (edge.Cameras.Count == 0)
            {
                throw new CliException("No camera: give at least one --camera id=source, or configure Edge:Cameras.");
            }

            Preflight.CheckMetricsUrls(app.Configuration["Metrics:Urls"]);
            Preflight.CheckSettings(edge.Validate);
            KafkaOptions kafka = app.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
            bool edgeOnly = ServiceHost.ModeOf(app.Configuration) == PipelineMode.EdgeOnly;
            if (!edgeOnly)
            {
                Preflight.CheckBroker(kafka);
            }

            await ServiceHost.StartAsync(app, cancellationToken);
            EdgeRunReport report = await EdgeCompletion.WaitAndStopAsync(app, cancellationToken);

            string model = edgeOnly ? edge.Features.LocalModel : app.Configuration["Models:DefaultModel"] ?? string.Empty;
            string broker = edgeOnly ? "none (edge-only)" : kafka.BootstrapServers ?? "embedded";
            RunSummary summary = RunSummary.Create(report, model, broker);
            await Console.Out.WriteAsync(summary.ToText());
            if (summary.Interrupted)
            {
                return RunCommand.InterruptedExitCode;
            }

            return summary.Complete ? 0 : 1;
        });
        return command;
    }

    private static (string Id, string Source) ParseCamera(string value)
    {
        int separator = value.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0 || separator == value.Length - 1)
        {
            throw new CliException($"--camera '{value}' is invalid; write it as id=source, for example front-door=rtsp://10.0.0.5/stream.");
        }

        return (value[..separator], value[(separator + 1)..]);
    }
}
