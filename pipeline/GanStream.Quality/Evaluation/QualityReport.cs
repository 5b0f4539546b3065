using GanStream.Quality.Metrics;

namespace GanStream.Quality.Evaluation;

/// <summary>The outcome of an evaluation: every system's scores and what the reference set scores itself.</summary>
/// <param name="ReferenceFrames">Reference frames added.</param>
/// <param name="FeatureExecutionProvider">ONNX Runtime execution provider of the feature networks.</param>
/// <param name="InceptionPath">The Inception-v3 file used, or null when IS and FID were not computed.</param>
/// <param name="ReferenceInceptionScore">Inception Score of the reference frames, or null.</param>
public sealed record QualityReport(
    int ReferenceFrames,
    string FeatureExecutionProvider,
    string? InceptionPath,
    InceptionScoreResult? ReferenceInceptionScore,
    IReadOnlyList<SystemQuality> Systems);
