namespace GanStream.Quality.Evaluation;

/// <summary>Full-reference scores of one frame; PSNR is positive infinity for an identical frame.</summary>
public sealed record FrameScore(long Frame, double Psnr, double Ssim);
