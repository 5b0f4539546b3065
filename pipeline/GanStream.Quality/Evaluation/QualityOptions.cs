using GanStream.Pipeline.Models;
using GanStream.Quality.Features;
using GanStream.Quality.Metrics;

namespace GanStream.Quality.Evaluation;

/// <summary>Feature networks and settings of a <see cref="QualityEvaluator"/>.</summary>
public sealed class QualityOptions
{
    /// <summary>
    /// Folder with the ResNet-18 ONNX files. Default: <c>DnnImageModels</c> next to the program, where the build
    /// copies them from the NuGet package.
    /// </summary>
    public string ResNet18Directory { get; set; } = ResNet18Featurizer.DefaultDirectory;

    /// <summary>
    /// Path of an Inception-v3 ONNX file (signature in <see cref="InceptionV3Network"/>). Empty (default): the
    /// Inception Score and FID are reported as not computed.
    /// </summary>
    public string? InceptionPath { get; set; }

    /// <summary>Splits of the Inception Score. Default 10, the usual protocol.</summary>
    public int InceptionScoreSplits { get; set; } = InceptionScore.DefaultSplits;

    /// <summary>Execution provider and threads of the feature networks. Default: CUDA when present, else the CPU.</summary>
    public InferenceOptions Inference { get; set; } = new();
}
