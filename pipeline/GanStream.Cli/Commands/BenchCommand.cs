using System.CommandLine;
using System.Globalization;
using GanStream.Cli.Bench;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Models;
using GanStream.Pipeline.Transport;

namespace GanStream.Cli.Commands;

/// <summary>
/// <c>ganstream bench</c>: runs the deployment modes on the same clip, with the edge and the cloud worker as
/// separate processes, and writes latency, throughput, uplink bytes, CPU, GPU and image quality per mode, next to
/// the model run through ONNX Runtime alone, to <c>bench.md</c>, <c>bench.json</c> and PNG charts.
/// </summary>
internal static class BenchCommand
{
    public const string DefaultInput = "samples/vtest-holdout.avi";
    public const string FallbackInput = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

    public static Command Create()
    {
        var input = new Option<string?>("--input", "-i")
        {
            Description = $"Video file streamed by every mode. Default: {DefaultInput}, else {FallbackInput}.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Folder for bench.md, bench.json, the charts and each run's logs. Default: out/bench.",
            DefaultValueFactory = _ => "out/bench",
        };
        var modes = new Option<string[]>("--mode")
        {
            Description = "Mode to run: hybrid, cloud-only or edge-only; repeat for several. Default: all three.",
            AllowMultipleArgumentsPerToken = false,
        };
        modes.AcceptOnlyFromAmong([.. BenchModes.All]);
        Option<int?> frames = NumberOption.IntegerInRange(
            "--frames", "frames", 1, 100_000, "Frames read from the clip per mode at saturation, and run by the baseline. Default: 60.");
        Option<int?> latencyFrames = NumberOption.IntegerInRange(
            "--latency-frames", "frames", 1, 100_000, "Frames sent per mode at the latency load point. Default: 30.");
        Option<double?> latencyFps = NumberOption.NonNegativeDouble(
            "--latency-fps",
            "frames per second",
            "Rate of the latency load point; 0 or absent uses half the mode's saturation rate.");
        var model = new Option<string?>("--model", "-m")
        {
            Description = "Model of the cloud worker and of the baseline, as name or name:version. Default: esrgan-medium-x4.",
        };
        var edgeModel = new Option<string?>("--edge-model")
        {
            Description = "Model the edge runs in edge-only mode. Default: the edge's own default (esrgan-slim-x4).",
        };
        Option<int?> maxBatch = NumberOption.IntegerInRange(
            "--max-batch", "frames", 1, 256, "Most frames per inference call, in the worker and the baseline. Default: 4.");
        var provider = new Option<ExecutionProviderPreference?>("--execution-provider")
        {
            Description = "Auto uses CUDA when present and falls back to the CPU; Cuda or Cpu forces one. Default: Auto.",
        };
        Option<int?> threads = NumberOption.IntegerInRange(
            "--threads", "threads", 0, 1024, "CPU threads per inference call; 0 uses one per physical core. Default: 0.");
        var repository = new Option<string?>("--model-repository")
        {
            Description = "Folder of the model repository. Default: models.",
        };
        var inception = new Option<string?>("--inception")
        {
            Description = "Inception-v3 ONNX file for IS and FID; without it they are reported as not computed.",
        };
        var link = new Option<string?>("--link")
        {
            Description = "Emulated link between edge and cloud as UP/DOWN/RTT: uplink and downlink in Mbit/s and the " +
                "round-trip time in ms, for example 20/50/30; 0 leaves a value off. Default: none (loopback).",
        };
        Option<double?> jitter = NumberOption.NonNegativeDouble(
            "--jitter-ms", "milliseconds", "Largest random extra delay per message on the emulated link. Default: 0.");
        var skipQuality = new Option<bool>("--skip-quality")
        {
            Description = "Do not score image quality, which runs ResNet-18 over every synthesized frame.",
        };

        var command = new Command(
            "bench",
            "Benchmark the deployment modes on one clip: latency, throughput, uplink bytes, CPU, GPU and image quality.");
        foreach (Option option in new Option[]
        {
            input, output, modes, frames, latencyFrames, latencyFps, model, edgeModel, maxBatch, provider, threads,
            repository, inception, link, jitter, skipQuality,
        })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            LinkOptions linkOptions = ParseLink(parse.GetValue(link));
            linkOptions.JitterMs = parse.GetValue(jitter) ?? 0;
            string[] chosen = parse.GetValue(modes) is { Length: > 0 } given ? given.Distinct().ToArray() : [.. BenchModes.All];
            var settings = new BenchSettings
            {
                Input = ResolveInput(parse.GetValue(input)),
                OutputDirectory = Path.GetFullPath(parse.GetValue(output)!),
                ModelRepository = ContentPaths.Resolve(parse.GetValue(repository) ?? "models"),
                Modes = BenchModes.All.Where(chosen.Contains).ToArray(),
                Frames = parse.GetValue(frames) ?? 60,
                LatencyFrames = parse.GetValue(latencyFrames) ?? 30,
                LatencyFramesPerSecond = parse.GetValue(latencyFps) is > 0 and var rate ? rate : null,
                Model = parse.GetValue(model) ?? "esrgan-medium-x4",
                EdgeModel = parse.GetValue(edgeModel),
                MaxBatch = parse.GetValue(maxBatch) ?? 4,
                ExecutionProvider = parse.GetValue(provider) ?? ExecutionProviderPreference.Auto,
                Threads = parse.GetValue(threads) ?? 0,
                InceptionPath = parse.GetValue(inception) is { } path ? Path.GetFullPath(path) : null,
                Link = linkOptions,
                SkipQuality = parse.GetValue(skipQuality),
                CommandLine = "ganstream " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
            };

            BenchReport report = await BenchRun.ExecuteAsync(settings, cancellationToken);
            await Console.Out.WriteAsync(BenchMarkdown.Write(report, []));
            await Console.Out.WriteLineAsync($"report written to {settings.OutputDirectory}");
            return report.Modes.All(m => m.Status == "ok") ? 0 : 1;
        });
        return command;
    }

    /// <summary>Parses <c>UP/DOWN/RTT</c>, for example <c>20/50/30</c>.</summary>
    /// <exception cref="CliException">The value is not three numbers of 0 or more separated by '/'.</exception>
    public static LinkOptions ParseLink(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new LinkOptions();
        }

        string[] parts = value.Split('/');
        var numbers = new double[3];
        if (parts.Length != 3 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i])).All(ok => ok) ||
            numbers.Any(n => n < 0 || !double.IsFinite(n)))
        {
            throw new CliException(
                $"--link '{value}' is invalid; write UP/DOWN/RTT in Mbit/s, Mbit/s and ms, for example 20/50/30.");
        }

        return new LinkOptions { UplinkMbps = numbers[0], DownlinkMbps = numbers[1], RoundTripMs = numbers[2] };
    }

    private static string ResolveInput(string? input)
    {
        if (input is not null)
        {
            string resolved = ContentPaths.Resolve(input);
            if (!File.Exists(resolved))
            {
                throw new CliException($"--input: '{input}' is not a file that exists.");
            }

            return resolved;
        }

        string holdout = ContentPaths.Resolve(DefaultInput);
        if (File.Exists(holdout))
        {
            return holdout;
        }

        if (File.Exists(FallbackInput))
        {
            return FallbackInput;
        }

        throw new CliException($"No clip: neither {DefaultInput} nor {FallbackInput} exists; give --input FILE.");
    }
}
