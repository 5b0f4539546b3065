using System.Text.Json;
using GanStream.Cli.Evaluation;
using GanStream.Pipeline.Models;
using GanStream.Quality.Evaluation;
using GanStream.Tests.Support;

namespace GanStream.Tests.Evaluation;

/// <summary><c>ganstream evaluate</c> on a few frames of the held-out clip, in both modes.</summary>
[Trait(TestCategories.Name, TestCategories.Quality)]
public sealed class EvaluateCommandTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Model)]
    [Trait(TestCategories.Name, TestCategories.Video)]
    public async Task Run_ModelMode_ScoresModelAndBaselineOnEveryFrame()
    {
        EvaluationRequest request = Request("model", "4-9");

        EvaluationDocument document = await RunAsync(request);
        output.WriteLine(document.ToMarkdown());

        Assert.Equal(6, document.Frames);
        Assert.Equal(6, document.Report.ReferenceFrames);
        SystemQuality model = document.Report.Systems.Single(s => s.System.Mode == "model");
        SystemQuality baseline = document.Report.Systems.Single(s => s.System.Mode == "baseline");
        Assert.Equal("esrgan-slim-x4:1", model.System.Name);
        Assert.Equal([4L, 5, 6, 7, 8, 9], model.PerFrame.Select(f => f.Frame));
        Assert.Equal(6, baseline.Frames);
        Assert.InRange(model.MeanPsnr, 15, 45);
        Assert.InRange(model.MeanSsim, 0.3, 0.999);
        Assert.NotNull(model.FdResNet18);
        Assert.Null(model.InceptionScore);
        AssertFilesWritten(request.OutputDirectory);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.EndToEnd)]
    public async Task Run_PipelineMode_MatchesModelModeScores()
    {
        // The worker runs the same model on the same features, so the pipeline's frames differ from the in-process
        // ones only by the worker's JPEG encoding of its results (quality 90), which costs little PSNR.
        EvaluationRequest request = Request("pipeline", "4");

        EvaluationDocument document = await RunAsync(request);
        output.WriteLine(document.ToMarkdown());
        EvaluationDocument inProcess = await RunAsync(Request("model", "4"));

        SystemQuality pipeline = document.Report.Systems.Single(s => s.System.Mode == "pipeline");
        SystemQuality model = inProcess.Report.Systems.Single(s => s.System.Mode == "model");
        EvaluationRun run = Assert.Single(document.Runs);
        Assert.Equal(4, pipeline.Frames);
        Assert.NotNull(run.Pipeline);
        Assert.Equal(4, run.Pipeline.Cameras.Single().Synthesized);
        Assert.InRange(pipeline.MeanPsnr, model.MeanPsnr - 1.0, model.MeanPsnr + 0.1);
        AssertFilesWritten(request.OutputDirectory);
    }

    private static async Task<EvaluationDocument> RunAsync(EvaluationRequest request)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        return await QualityEvaluation.RunAsync(request, timeout.Token).WaitAsync(Timeout, timeout.Token);
    }

    private static EvaluationRequest Request(string mode, string frames) => new()
    {
        Models = ["esrgan-slim-x4"],
        Mode = mode,
        Inputs = [TestPaths.HoldoutClip],
        Frames = FrameRange.Parse(frames),
        OutputDirectory = TestPaths.CreateTemporaryFolder(),
        ModelRepository = TestPaths.Models,
        Inference = new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu },
    };

    private static void AssertFilesWritten(string folder)
    {
        string json = File.ReadAllText(Path.Combine(folder, QualityEvaluation.JsonFileName));
        using JsonDocument parsed = JsonDocument.Parse(json);
        Assert.True(parsed.RootElement.TryGetProperty("report", out _));
        string markdown = File.ReadAllText(Path.Combine(folder, QualityEvaluation.MarkdownFileName));
        Assert.Contains("FD (ResNet-18) real-vs-real floor", markdown, StringComparison.Ordinal);
        Assert.Contains(QualityReportWriter.NotComputed, markdown, StringComparison.Ordinal);
    }
}
