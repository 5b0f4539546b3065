using System.CommandLine;
using GanStream.Cli.Hosting;
using GanStream.Cli.Summary;
using GanStream.Pipeline.Hosting;

namespace GanStream.Cli.Commands;

/// <summary>
/// <c>ganstream run</c>: the whole pipeline in one process on one video (embedded broker unless brokers are given,
/// one synthesis worker, one edge), then a summary in the output folder.
/// </summary>
internal static class RunCommand
{
    public const string DefaultInput = "samples/vtest-20s.avi";

    /// <summary>Exit code of a run stopped by Ctrl+C or SIGTERM; the summary is still written.</summary>
    public const int InterruptedExitCode = 130;

    public static Command Create()
    {
        var common = new CommonOptions();
        var input = new Option<string?>("--input", "-i")
        {
            Description = "Video file, rtsp:// or http:// stream URL, or device index to process (Edge:Cameras:0:Source). " +
                $"A relative path is looked up in the working folder, then in the checkout. Default: {DefaultInput}.",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Folder for the synthesized video, summary.json and summary.txt, created if missing " +
                "(Edge:Output:Directory). Default: out.",
        };
        var camera = new Option<string?>("--camera-id")
        {
            Description = "Camera id of the input, used as Kafka key and metric label (Edge:Cameras:0:Id). Default: camera-1.",
        };
        Option<long?> maxFrames = NumberOption.NonNegativeInteger(
            "--max-frames",
            "frames",
            "Stop after reading this many frames; 0 reads the whole input (Edge:Cameras:0:MaxFrames). Default: 0.");
        Option<double?> maxFps = NumberOption.NonNegativeDouble(
            "--max-fps",
            "frames per second",
            "Most frames per second sent, on the video's timeline; 0 sends all (Edge:Filters:MaxFramesPerSecond). Default: 0.");
        var sideBySide = new Option<bool>("--side-by-side")
        {
            Description = "Also write each input frame next to its synthesized frame as JPEG files (Edge:Output:WriteSideBySide).",
        };

        var command = new Command("run", "Run the whole pipeline on one video: embedded broker, one synthesis worker and one edge.");
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(camera);
        command.Options.Add(maxFrames);
        command.Options.Add(maxFps);
        command.Options.Add(sideBySide);
        common.AddTo(command, defaultMetricsUrl: "http://127.0.0.1:0");

        command.SetAction(async (parse, cancellationToken) =>
        {
            HostSettings settings = common.CreateSettings(parse);

            // A one-off run serves its metrics on a free port, so two runs can share a machine.
            settings.CommandDefaults["Metrics:Urls"] = "http://127.0.0.1:0";

            // A one-off run gives up on a stream or device that cannot be opened after about 7 s (1 + 2 + 4 s of
            // backoff). The edge service keeps trying until it is stopped.
            settings.CommandDefaults["Edge:Capture:MaxReconnectAttempts"] = "3";
            using OutputFolder folder = OutputFolder.Open(parse.GetValue(output) ?? "out", "--output");
            settings.Set("Edge:Cameras:0:Id", parse.GetValue(camera) ?? "camera-1");
            settings.Set("Edge:Cameras:0:Source", ResolveInput(parse.GetValue(input) ?? DefaultInput));
            settings.Set("Edge:Cameras:0:MaxFrames", parse.GetValue(maxFrames));
            settings.Set("Edge:Filters:MaxFramesPerSecond", parse.GetValue(maxFps));
            settings.Set("Edge:Output:Directory", folder.Path);
            settings.Set("Edge:Output:WriteSideBySide", parse.GetValue(sideBySide) ? true : null);
            return await RunAsync(settings, folder.Path, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(HostSettings settings, string outputDirectory, CancellationToken cancellationToken)
    {
        RunSummary summary = await PipelineRun.ExecuteAsync(settings, cancellationToken);

        string jsonPath = Path.Combine(outputDirectory, "summary.json");
        await File.WriteAllTextAsync(jsonPath, summary.ToJson(), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "summary.txt"), summary.ToText(), CancellationToken.None);
        await Console.Out.WriteAsync(summary.ToText());
        await Console.Out.WriteLineAsync($"summary written to {jsonPath}");
        if (summary.Interrupted)
        {
            return InterruptedExitCode;
        }

        return summary.Complete ? 0 : 1;
    }

    private static string ResolveInput(string input) =>
        input.Contains("://", StringComparison.Ordinal) || int.TryParse(input, out _) ? input : ContentPaths.Resolve(input);
}
