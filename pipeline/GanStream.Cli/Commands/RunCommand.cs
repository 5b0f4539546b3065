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

    public static Command Create()
    {
        var common = new CommonOptions();
        var input = new Option<string>("--input", "-i")
        {
            Description = "Video file or stream URL to process (Edge:Cameras:0:Source).",
            DefaultValueFactory = _ => DefaultInput,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Folder for the synthesized video, summary.json and summary.txt (Edge:Output:Directory).",
            DefaultValueFactory = _ => "out",
        };
        var camera = new Option<string>("--camera-id")
        {
            Description = "Camera id of the input (Edge:Cameras:0:Id).",
            DefaultValueFactory = _ => "camera-1",
        };
        var maxFrames = new Option<long?>("--max-frames")
        {
            Description = "Stop after reading this many frames; 0 reads the whole input (Edge:Cameras:0:MaxFrames).",
        };
        var maxFps = new Option<double?>("--max-fps")
        {
            Description = "Most frames per second sent, on the video's timeline; 0 sends all (Edge:Filters:MaxFramesPerSecond).",
        };
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
        common.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            HostSettings settings = common.CreateSettings(parse);
            string source = ResolveInput(parse.GetValue(input)!);
            string outputDirectory = Path.GetFullPath(parse.GetValue(output)!);
            settings.Set("Edge:Cameras:0:Id", parse.GetValue(camera));
            settings.Set("Edge:Cameras:0:Source", source);
            settings.Set("Edge:Cameras:0:MaxFrames", parse.GetValue(maxFrames));
            settings.Set("Edge:Filters:MaxFramesPerSecond", parse.GetValue(maxFps));
            settings.Set("Edge:Output:Directory", outputDirectory);
            settings.Set("Edge:Output:WriteSideBySide", parse.GetValue(sideBySide) ? true : null);
            return await RunAsync(settings, outputDirectory, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(HostSettings settings, string outputDirectory, CancellationToken cancellationToken)
    {
        RunSummary summary = await PipelineRun.ExecuteAsync(settings, cancellationToken);

        Directory.CreateDirectory(outputDirectory);
        string jsonPath = Path.Combine(outputDirectory, "summary.json");
        await File.WriteAllTextAsync(jsonPath, summary.ToJson(), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "summary.txt"), summary.ToText(), CancellationToken.None);
        await Console.Out.WriteAsync(summary.ToText());
        await Console.Out.WriteLineAsync($"summary written to {jsonPath}");
        return summary.Complete ? 0 : 1;
    }

    private static string ResolveInput(string input) =>
        input.Contains("://", StringComparison.Ordinal) || int.TryParse(input, out _) ? input : ContentPaths.Resolve(input);
}
