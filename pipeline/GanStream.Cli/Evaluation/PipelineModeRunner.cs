using System.Diagnostics;
using GanStream.Cli.Hosting;
using GanStream.Cli.Summary;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Models;
using GanStream.Quality.Evaluation;
using OpenCvSharp;

namespace GanStream.Cli.Evaluation;

/// <summary>
/// Evaluates a model end to end: the embedded broker, one synthesis worker and one edge in this process, as
/// <c>ganstream run</c> starts them, with the edge's frame filters off so that every frame is sent. The results
/// the edge matches are collected and scored after the run.
/// </summary>
internal static class PipelineModeRunner
{
    public const string Mode = "pipeline";

    // Results are decoded with the same limit the edge's output writer uses.
    private const int MaxImageSide = 16384;

    public static async Task<EvaluationRun> RunAsync(
        string modelRequest,
        ModelManifest manifest,
        string clipPath,
        long[] clipFrames,
        EvaluationContext context,
        Action<HostSettings> configure,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(clipFrames);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(configure);

        var system = new EvaluatedSystem(manifest.Id, Mode);
        FrameDegrader degrader = FrameDegrader.ForModel(manifest);
        var settings = new HostSettings();
        configure(settings);
        settings.Set("Models:DefaultModel", modelRequest);
        settings.Set("Edge:Cameras:0:Id", "evaluation");
        settings.Set("Edge:Cameras:0:Source", clipPath);
        settings.Set("Edge:Filters:BlurThreshold", 0);
        settings.Set("Edge:Filters:DuplicateThreshold", 0);
        settings.Set("Edge:Filters:MaxFramesPerSecond", 0);
        settings.Set("Edge:Features:Codec", degrader.Codec.ToString());
        settings.Set("Edge:Features:Quality", degrader.Quality);
        settings.Set("Metrics:Urls", "http://127.0.0.1:0");
        settings.Set("Logging:LogLevel:Default", "Warning");

        var clock = Stopwatch.StartNew();
        var collector = new ResultCollector(new ProgressDisplay($"{system} synthesis", clipFrames.Length));
        RunSummary summary = await PipelineRun.ExecuteAsync(settings, [collector], cancellationToken);
        double pipelineSeconds = clock.Elapsed.TotalSeconds;

        var sequences = new Dictionary<long, ulong>();
        for (int i = 0; i < clipFrames.Length; i++)
        {
            sequences[clipFrames[i]] = (ulong)i;
        }

        int scored = 0;
        context.ForEachFrame($"{system} scoring", degrader, (frame, original, _) =>
        {
            if (!collector.TryGet(sequences[frame], out var result))
            {
                return;
            }

            (Mat? image, ImageRejection? rejection) =
                ImageCodec.Decode(result.Payload, result.Encoding, MaxImageSide, MaxImageSide);
            using (image)
            {
                if (image is null)
                {
                    throw new CliException($"The result for frame {frame} could not be decoded: {rejection!.Detail}.");
                }

                context.Evaluator.AddCandidate(system, frame, original, image);
                scored++;
            }
        }, cancellationToken);

        string provider = collector.ExecutionProvider ?? "unknown";
        return new EvaluationRun(system, provider, degrader.Description, scored, pipelineSeconds, null, summary);
    }
}
