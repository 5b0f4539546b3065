using GanStream.Quality.Metrics;

namespace GanStream.Quality.Evaluation;

/// <summary>The scores of one system over the frames it produced.</summary>
/// <param name="Frames">Frames compared with their reference.</param>
/// <param name="MeanPsnr">Mean of the per-frame PSNR in dB; positive infinity when any frame is identical.</param>
/// <param name="MeanSsim">Mean of the per-frame SSIM.</param>
/// <param name="FdResNet18">FD (ResNet-18) of all its frames against the references of the same frames.</param>
/// <param name="FdResNet18Halves">
/// FD (ResNet-18) of its frames at even positions against the references at odd positions: the same sample sizes
/// and disjoint frames as <paramref name="FdResNet18NoiseFloor"/>, so the two compare directly.
/// </param>
/// <param name="FdResNet18NoiseFloor">FD (ResNet-18) between the references at even and at odd positions.</param>
/// <param name="InceptionScore">Null when no Inception file with logits was given.</param>
/// <param name="Fid">Null when no Inception file with pool3 features was given.</param>
/// <param name="FidNoiseFloor">FID between the references at even and at odd positions, or null.</param>
public sealed record SystemQuality(
    EvaluatedSystem System,
    int Frames,
    double MeanPsnr,
    double MeanSsim,
    double? FdResNet18,
    double? FdResNet18Halves,
    double? FdResNet18NoiseFloor,
    InceptionScoreResult? InceptionScore,
    double? Fid,
    double? FidNoiseFloor,
    IReadOnlyList<FrameScore> PerFrame);
