using System.Diagnostics;
using GanStream.Pipeline.Models;
using GanStream.Quality.Evaluation;
using OpenCvSharp;

namespace GanStream.Cli.Evaluation;

/// <summary>Evaluates a model alone, in this process: features in, one inference call per frame, no broker.</summary>
internal static class ModelModeRunner
{
    public const string Mode = "model";

    public static EvaluationRun Run(SuperResolutionModel model, EvaluationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);

        var system = new EvaluatedSystem(model.Manifest.Id, Mode);
        FrameDegrader degrader = FrameDegrader.ForModel(model.Manifest);
        var inference = new Stopwatch();
        int frames = 0;
        var clock = Stopwatch.StartNew();
        context.ForEachFrame(system.ToString(), degrader, (frame, original, features) =>
        {
            inference.Start();
            using Mat synthesized = Synthesize(model, features);
            inference.Stop();
            context.Evaluator.AddCandidate(system, frame, original, synthesized);
            frames++;
        }, cancellationToken);

        return new EvaluationRun(
            system,
            model.ExecutionProvider,
            degrader.Description,
            frames,
            clock.Elapsed.TotalSeconds,
            inference.Elapsed.TotalSeconds,
            Pipeline: null);
    }

    /// <summary>Runs the model on one decoded feature image and returns the 8-bit result, clamped and rounded.</summary>
    public static Mat Synthesize(SuperResolutionModel model, Mat features)
    {
        var input = new float[features.Width * features.Height * 3];
        FrameTensor.Pack(features, input, model.InputFormat);
        using ModelOutput output = model.Run(input, 1, features.Height, features.Width);
        var synthesized = new Mat(output.Height, output.Width, MatType.CV_8UC3);
        FrameTensor.Unpack(output.Image(0), synthesized, model.OutputFormat);
        return synthesized;
    }
}
