using GanStream.Cli.Hosting;
using GanStream.Pipeline.Models;
using GanStream.Quality.Evaluation;
using GanStream.Quality.Features;
using Microsoft.Extensions.Logging;

namespace GanStream.Cli.Evaluation;

/// <summary>Runs an evaluation request: reads the frames, runs each model in the requested mode, writes the report.</summary>
internal static class QualityEvaluation
{
    public const string JsonFileName = "quality.json";
    public const string MarkdownFileName = "quality.md";

    /// <exception cref="CliException">An input, model or feature network is unusable.</exception>
    public static async Task<EvaluationDocument> RunAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Preflight.CheckOpenCv();
        using ILoggerFactory loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(options => options.SingleLine = true));
        ILogger logger = loggers.CreateLogger("GanStream.Evaluate");

        using var repository = new ModelRepository(
            new ModelRepositoryOptions { Path = request.ModelRepository },
            request.Inference,
            loggers.CreateLogger<ModelRepository>());
        var manifests = request.Models.ToDictionary(model => model, model => ReadManifest(repository, model));
        int cropMultiple = manifests.Values.Select(m => m.ScaleFactor).Aggregate(1, LeastCommonMultiple);

        var frames = new EvaluationFrames(request.Inputs, request.Frames);
        int frameCount = frames.Count(cancellationToken);
        using QualityEvaluator evaluator = CreateEvaluator(request, logger);
        var context = new EvaluationContext(frames, frameCount, cropMultiple, evaluator);

        var runs = new List<EvaluationRun>();
        if (request.Mode == PipelineModeRunner.Mode)
        {
            await RunPipelineModeAsync(request, manifests, context, runs, cancellationToken);
        }
        else
        {
            foreach (string model in request.Models)
            {
                using ModelLease lease = repository.Acquire(model);
                runs.Add(ModelModeRunner.Run(lease.Model, context, cancellationToken));
            }
        }

        var document = new EvaluationDocument(
            request.CommandLine,
            request.Inputs,
            request.Frames.ToString(),
            frameCount,
            request.Mode,
            EvaluationDocument.DescribeMachine(),
            DateTimeOffset.UtcNow,
            runs,
            evaluator.CreateReport());

        Directory.CreateDirectory(request.OutputDirectory);
        string jsonPath = Path.Combine(request.OutputDirectory, JsonFileName);
        string markdownPath = Path.Combine(request.OutputDirectory, MarkdownFileName);
        await File.WriteAllTextAsync(jsonPath, document.ToJson(), CancellationToken.None);
        await File.WriteAllTextAsync(markdownPath, document.ToMarkdown(), CancellationToken.None);
        return document;
    }

    private static async Task RunPipelineModeAsync(
        EvaluationRequest request,
        Dictionary<string, ModelManifest> manifests,
        EvaluationContext context,
        List<EvaluationRun> runs,
        CancellationToken cancellationToken)
    {
        string folder = Path.Combine(Path.GetTempPath(), "ganstream-evaluate", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string clip = Path.Combine(folder, "frames.avi");
            long[] clipFrames = LosslessClip.Write(context, clip, cancellationToken);
            foreach ((string model, ModelManifest manifest) in manifests)
            {
                EvaluationRun run = await PipelineModeRunner.RunAsync(
                    model,
                    manifest,
                    clip,
                    clipFrames,
                    context,
                    settings =>
                    {
                        settings.Set("Models:Path", request.ModelRepository);
                        settings.Set("Inference:ExecutionProvider", request.Inference.ExecutionProvider);
                        settings.Set("Inference:IntraOpThreads", request.Inference.IntraOpThreads);
                    },
                    cancellationToken);
                runs.Add(run);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ModelManifest ReadManifest(ModelRepository repository, string model)
    {
        try
        {
            return SuperResolutionModel.ReadManifest(repository.ResolveDirectory(model));
        }
        catch (ModelLoadException exception)
        {
            throw new CliException($"--model: {exception.Message}", exception);
        }
    }

    private static QualityEvaluator CreateEvaluator(EvaluationRequest request, ILogger logger)
    {
        if (request.InceptionPath is { } path && !File.Exists(path))
        {
            throw new CliException($"--inception: '{path}' is not a file that exists.");
        }

        try
        {
            return new QualityEvaluator(
                new QualityOptions { InceptionPath = request.InceptionPath, Inference = request.Inference },
                logger);
        }
        catch (FeatureModelException exception)
        {
            throw new CliException(exception.Message, exception);
        }
    }

    private static int LeastCommonMultiple(int a, int b)
    {
        int x = a;
        int y = b;
        while (y != 0)
        {
            (x, y) = (y, x % y);
        }

        return a / x * b;
    }
}
