using System.CommandLine;
using System.Globalization;
using GanStream.Cli.Hosting;
using GanStream.Cli.Summary;
using GanStream.Edge;
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
        var maxFps = new Option<double?>("--max-fps")
        {
            Description = "Most frames per second sent per camera; 0 sends all (Edge:Filters:MaxFramesPerSecond).",
        };

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
            await using WebApplication app = ServiceHost.Build(settings, services =>
            {
                services.AddSingleton<EdgeIngestService>();
                services.AddHostedService(provider => provider.GetRequiredService<EdgeIngestService>());
            });
            KafkaOptions kafka = app.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
            Preflight.CheckBroker(kafka);

            await ServiceHost.StartAsync(app, cancellationToken);
            EdgeIngestService edge = app.Services.GetRequiredService<EdgeIngestService>();
            EdgeRunReport report = await ServiceHost.RunEdgeToCompletionAsync(app, edge, cancellationToken);

            var summary = RunSummary.Create(report, app.Configuration["Models:DefaultModel"] ?? string.Empty, kafka.BootstrapServers ?? "embedded");
            Console.Out.Write(summary.ToText());
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
