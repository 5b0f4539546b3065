using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GanStream.Quality.Metrics;

namespace GanStream.Quality.Evaluation;

/// <summary>Writes a <see cref="QualityReport"/> as JSON and as a Markdown table.</summary>
public static class QualityReportWriter
{
    /// <summary>Text of a metric that was not computed because no Inception-v3 file was given.</summary>
    public const string NotComputed = "not computed";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Serialises the report; an infinite PSNR is written as the string <c>"Infinity"</c>.</summary>
    public static string ToJson(QualityReport report) => JsonSerializer.Serialize(report, JsonOptions);

    /// <summary>Formats one row per system, with the FD noise floor next to every FD.</summary>
    public static string ToMarkdown(QualityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("| system | mode | frames | PSNR (dB) | SSIM | FD (ResNet-18) | FD (ResNet-18) real-vs-real floor " +
            "| FD (ResNet-18) halves | IS | FID |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (SystemQuality system in report.Systems)
        {
            text.Append(c, $"| {system.System.Name} | {system.System.Mode} | {system.Frames} ");
            text.Append(c, $"| {FormatPsnr(system.MeanPsnr)} | {system.MeanSsim:F4} ");
            text.Append(c, $"| {Format(system.FdResNet18)} | {Format(system.FdResNet18NoiseFloor)} ");
            text.Append(c, $"| {Format(system.FdResNet18Halves)} ");
            text.Append(c, $"| {FormatScore(system.InceptionScore)} | {FormatFid(system.Fid, system.FidNoiseFloor)} |");
            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>Formats a PSNR in dB, writing an identical image's infinite value as <c>+∞</c>.</summary>
    public static string FormatPsnr(double psnr) =>
        double.IsPositiveInfinity(psnr) ? "+∞ (identical)" : psnr.ToString("F2", CultureInfo.InvariantCulture);

    private static string Format(double? value) =>
        value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "n/a";

    private static string FormatScore(InceptionScoreResult? score) =>
        score is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"{s.Mean:F2} ± {s.StandardDeviation:F2}")
            : NotComputed;

    private static string FormatFid(double? fid, double? floor) =>
        fid is { } f
            ? string.Create(CultureInfo.InvariantCulture, $"{f:F2} (floor {floor:F2})")
            : NotComputed;
}
