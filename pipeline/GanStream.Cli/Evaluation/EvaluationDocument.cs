using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GanStream.Quality.Evaluation;

namespace GanStream.Cli.Evaluation;

/// <summary>What <c>ganstream evaluate</c> writes: the command, inputs, machine, runs and the quality report.</summary>
internal sealed record EvaluationDocument(
    string Command,
    IReadOnlyList<string> Inputs,
    string FrameRange,
    int Frames,
    string Mode,
    string Machine,
    DateTimeOffset Finished,
    IReadOnlyList<EvaluationRun> Runs,
    QualityReport Report)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Describes the processor count, operating system and architecture of this machine.</summary>
    public static string DescribeMachine() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} logical processors, {RuntimeInformation.OSDescription}, " +
            $"{RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}");

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>A Markdown page: the setting, the table, how each system ran, and what the columns mean.</summary>
    public string ToMarkdown()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# Image quality");
        text.AppendLine();
        text.AppendLine(c, $"- command: `{Command}`");
        text.AppendLine(c, $"- input: {string.Join(", ", Inputs.Select(i => $"`{i}`"))}, frames {FrameRange} ({Frames} frames)");
        text.AppendLine(c, $"- machine: {Machine}; feature networks on {Report.FeatureExecutionProvider}");
        text.AppendLine(c, $"- finished: {Finished:yyyy-MM-dd HH:mm} UTC");
        string reference = Report.ReferenceInceptionScore is { } s
            ? string.Create(c, $"{s.Mean:F2} ± {s.StandardDeviation:F2}")
            : QualityReportWriter.NotComputed;
        text.AppendLine(c, $"- IS of the original frames: {reference}");
        text.AppendLine();
        text.Append(QualityReportWriter.ToMarkdown(Report));
        text.AppendLine();
        text.AppendLine("| system | mode | execution provider | features | frames | seconds | model seconds |");
        text.AppendLine("| --- | --- | --- | --- | ---: | ---: | ---: |");
        foreach (EvaluationRun run in Runs)
        {
            string inference = run.InferenceSeconds is { } i ? i.ToString("F1", c) : "n/a";
            text.AppendLine(c, $"| {run.System.Name} | {run.System.Mode} | {run.ExecutionProvider} | {run.Degradation} " +
                $"| {run.Frames} | {run.ElapsedSeconds:F1} | {inference} |");
        }

        text.AppendLine();
        text.AppendLine("PSNR: mean over frames of 10 log10(255² / MSE) on 8-bit RGB, +∞ for an identical frame. " +
            "SSIM: mean over frames of SSIM on BT.601 luma, 11x11 Gaussian window with σ = 1.5, K1 = 0.01, K2 = 0.03. " +
            "FD (ResNet-18): Fréchet distance between the 512-d ResNet-18 features of the system's frames and of the " +
            "original frames. It is not FID and cannot be compared with published FID. Its real-vs-real floor is the " +
            "FD between the originals at even and at odd positions, and 'halves' is the FD of the system's frames at " +
            "even positions against the originals at odd positions, which has the same sample sizes as the floor.");
        return text.ToString();
    }
}
