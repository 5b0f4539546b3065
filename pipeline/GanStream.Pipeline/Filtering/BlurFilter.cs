using OpenCvSharp;

namespace GanStream.Pipeline.Filtering;

/// <summary>Drops frames whose variance of the Laplacian, a measure of edge content, is below a threshold.</summary>
public sealed class BlurFilter : IFrameFilter
{
    public const string FilterName = "blur";

    private readonly double threshold;

    public BlurFilter(double threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        this.threshold = threshold;
    }

    public string Name => FilterName;

    public bool ShouldDrop(FrameAnalysis frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return LaplacianVariance(frame.Gray) < threshold;
    }

    public void OnAccepted(FrameAnalysis frame)
    {
    }

    /// <summary>Variance of the 3x3 Laplacian of a grey image.</summary>
    public static double LaplacianVariance(Mat gray)
    {
        ArgumentNullException.ThrowIfNull(gray);
        using var laplacian = new Mat();
        Cv2.Laplacian(gray, laplacian, MatType.CV_32F);
        Cv2.MeanStdDev(laplacian, out _, out Scalar deviation);
        return deviation.Val0 * deviation.Val0;
    }
}
