using GanStream.Cli.Hosting;
using GanStream.Pipeline.Kafka.Embedded;
using GanStream.Pipeline.Models;
using Microsoft.Extensions.Logging;

namespace GanStream.Cli.Bench;

/// <summary>
/// One <c>ganstream bench</c> run: starts the embedded broker in this process, runs each mode with its edge and cloud
/// worker as child processes, runs the bare ONNX Runtime baseline, scores image quality, and writes the report.
/// </summary>
internal static class BenchRun
{
    public const string JsonFileName = "bench.json";
    public const string MarkdownFileName = "bench.md";

    /// <exception cref="CliException">The input, a model, or a feature network is unusable.</exception>
    public static async Task<BenchReport> ExecuteAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Preflight.CheckOpenCv();
        Preflight.CheckModel(settings.ModelRepository, settings.Model, "--model");
        if (settings.EdgeModel is not null)
        {
            Preflight.CheckModel(settings.ModelRepository, settings.EdgeModel, "--edge-model");
        }

        Directory.CreateDirectory(settings.OutputDirectory);
        using ILoggerFactory loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(options => options.SingleLine = true));
        ILogger logger = loggers.CreateLogger("GanStream.Bench");
        BenchProgress progress = BenchProgress.ForConsole();

        ClipInfo clip = ClipInfo.Read(settings.Input);
        int scale = ReadScaleFactor(settings);
        using GpuSampler gpu = GpuSampler.Start();
        var notes = new List<string>();
        if (settings.Link.IsEnabled)
        {
            notes.Add($"{settings.Link.Describe()}, passed to the edge and the cloud worker as Link:* settings");
        }

        var modes = new List<ModeResult>();
        var saturations = new Dictionary<string, LoadPointOutcome>(StringComparer.Ordinal);
        using (EmbeddedKafkaCluster? cluster = settings.Modes.Any(BenchModes.UsesCloud) ? EmbeddedKafkaCluster.Start() : null)
        {
            var runner = new ModeRunner(settings, clip, new LoadPointRunner(settings, clip, scale, cluster, gpu, progress));
            foreach (string mode in settings.Modes)
            {
                (ModeResult result, LoadPointOutcome? saturation) = await runner.RunAsync(mode, cancellationToken);
                modes.Add(result);
                if (saturation is not null && result.Status == "ok")
                {
                    saturations[mode] = saturation;
                }
            }
        }

        BaselineResult baseline = BareOnnxBaseline.Run(settings, clip, loggers, progress);
        if (!settings.SkipQuality && saturations.Count > 0)
        {
            IReadOnlyDictionary<string, ModeQuality> quality = BenchQuality.Score(saturations, clip, settings, logger, progress, cancellationToken);
            modes = modes.Select(m => quality.TryGetValue(m.Mode, out ModeQuality? q) ? m with { Quality = q } : m).ToList();
        }

        double? ratio = modes.FirstOrDefault(m => m.Mode == BenchModes.Hybrid && m.Status == "ok")?.Saturation?.FramesPerSecond is { } fps
            ? fps / baseline.FramesPerSecond
            : null;

        var report = new BenchReport(
            BenchReport.CurrentSchemaVersion,
            DateTimeOffset.UtcNow,
            settings.CommandLine,
            MachineDescription.Describe(gpu.Available),
            MachineDescription.Versions(settings.ModelRepository),
            new BenchSettingsInfo(
                settings.Input,
                clip.FrameCount,
                clip.FramesPerSecond,
                settings.Frames,
                settings.LatencyFrames,
                settings.LatencyFramesPerSecond,
                settings.Model,
                settings.EdgeModel,
                settings.MaxBatch,
                settings.ExecutionProvider.ToString(),
                settings.Threads,
                settings.InceptionPath,
                settings.Modes),
            new LinkInfo(
                settings.Link.IsEnabled,
                settings.Link.IsEnabled ? settings.Link.Describe() : "no link emulation (loopback)",
                settings.Link.UplinkMbps,
                settings.Link.DownlinkMbps,
                settings.Link.RoundTripMs,
                settings.Link.JitterMs),
            modes,
            baseline,
            ratio,
            notes);

        await WriteAsync(report, settings.OutputDirectory, progress);
        return report;
    }

    private static async Task WriteAsync(BenchReport report, string folder, BenchProgress progress)
    {
        using PhaseProgress phase = progress.Waiting("report: bench.json, bench.md, charts");
        IReadOnlyList<string> charts = BenchCharts.Render(report, folder);
        await File.WriteAllTextAsync(Path.Combine(folder, JsonFileName), report.ToJson(), CancellationToken.None);
        await File.WriteAllTextAsync(
            Path.Combine(folder, MarkdownFileName),
            BenchMarkdown.Write(report, charts),
            CancellationToken.None);
    }

    private static int ReadScaleFactor(BenchSettings settings)
    {
        try
        {
            using var repository = new ModelRepository(
                new ModelRepositoryOptions { Path = settings.ModelRepository },
                new InferenceOptions(),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelRepository>.Instance);
            return SuperResolutionModel.ReadManifest(repository.ResolveDirectory(settings.Model)).ScaleFactor;
        }
        catch (ModelLoadException exception)
        {
            throw new CliException($"--model: {exception.Message}", exception);
        }
    }
}
