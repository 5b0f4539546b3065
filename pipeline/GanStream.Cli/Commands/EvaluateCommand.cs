using System.CommandLine;
using GanStream.Cli.Evaluation;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Models;

namespace GanStream.Cli.Commands;

/// <summary>
/// <c>ganstream evaluate</c>: image quality of models on held-out frames degraded as the edge degrades them, against
/// bicubic upscaling of the same features. Writes <c>quality.json</c> and <c>quality.md</c> to the output folder.
/// </summary>
internal static class EvaluateCommand
{
    public const string DefaultInput = "samples/vtest-holdout.avi";

    public static Command Create()
    {
        var models = new Option<string[]>("--model", "-m")
        {
            Description = "Model to evaluate, as name or name:version; repeat for several. Default: esrgan-medium-x4.",
            AllowMultipleArgumentsPerToken = false,
        };
        var mode = new Option<string>("--mode")
        {
            Description = "model: each model alone in this process; pipeline: end to end through the embedded broker, " +
                "a synthesis worker and an edge.",
            DefaultValueFactory = _ => ModelModeRunner.Mode,
        };
        mode.AcceptOnlyFromAmong(ModelModeRunner.Mode, PipelineModeRunner.Mode);
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "Video file or image folder of real frames held out from training; repeat for several.",
            DefaultValueFactory = _ => [DefaultInput],
            AllowMultipleArgumentsPerToken = false,
        };
        var frames = new Option<string?>("--frames")
        {
            Description = "Frames to use, numbered from 0 across the inputs: N (the first N), A-B (inclusive) " +
                "or A- (A to the end). Default: all.",
        };
        var inception = new Option<string?>("--inception")
        {
            Description = "Inception-v3 ONNX file for IS and FID: 299x299 RGB input in [-1, 1], outputs pool3 (2048) " +
                "and/or logits (1008 or 1000). Without it IS and FID are reported as not computed.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Folder for quality.json and quality.md.",
            DefaultValueFactory = _ => "out/quality",
        };
        var repository = new Option<string?>("--model-repository")
        {
            Description = "Folder of the model repository (Models:Path). Default: models.",
        };
        var provider = new Option<ExecutionProviderPreference?>("--execution-provider")
        {
            Description = "Auto uses CUDA when present and falls back to the CPU; Cuda or Cpu forces one. " +
                "Applies to the models and the feature networks.",
        };
        var threads = new Option<int?>("--threads")
        {
            Description = "CPU threads per inference call; 0 uses one per physical core (Inference:IntraOpThreads).",
        };

        var command = new Command(
            "evaluate",
            "Measure image quality (PSNR, SSIM, FD on ResNet-18 features, IS and FID) of models on held-out frames.");
        command.Options.Add(models);
        command.Options.Add(mode);
        command.Options.Add(inputs);
        command.Options.Add(frames);
        command.Options.Add(inception);
        command.Options.Add(output);
        command.Options.Add(repository);
        command.Options.Add(provider);
        command.Options.Add(threads);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new EvaluationRequest
            {
                Models = parse.GetValue(models) is { Length: > 0 } given ? given : ["esrgan-medium-x4"],
                Mode = parse.GetValue(mode)!,
                Inputs = (parse.GetValue(inputs) ?? [DefaultInput]).Select(ContentPaths.Resolve).ToArray(),
                Frames = FrameRange.Parse(parse.GetValue(frames)),
                InceptionPath = parse.GetValue(inception) is { } path ? Path.GetFullPath(path) : null,
                OutputDirectory = Path.GetFullPath(parse.GetValue(output)!),
                ModelRepository = ContentPaths.Resolve(parse.GetValue(repository) ?? "models"),
                Inference = new InferenceOptions
                {
                    ExecutionProvider = parse.GetValue(provider) ?? ExecutionProviderPreference.Auto,
                    IntraOpThreads = parse.GetValue(threads) ?? 0,
                },
                CommandLine = "ganstream " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
            };

            EvaluationDocument document = await QualityEvaluation.RunAsync(request, cancellationToken);
            await Console.Out.WriteAsync(document.ToMarkdown());
            await Console.Out.WriteLineAsync($"results written to {request.OutputDirectory}");
            return 0;
        });
        return command;
    }
}
