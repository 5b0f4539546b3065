using OpenCvSharp;

namespace GanStream.Pipeline.Filtering;

/// <summary>Drops frames that differ too little from the last frame sent.</summary>
public sealed class DuplicateFilter : IFrameFilter, IDisposable
{
    public const string FilterName = "duplicate";

    private readonly double threshold;
    private Mat? lastSent;

    public DuplicateFilter(double threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        this.threshold = threshold;
    }

    public string Name => FilterName;

    public bool ShouldDrop(FrameAnalysis frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (lastSent is null)
        {
            return false;
        }

        return MeanAbsoluteDifference(frame.Thumbnail, lastSent) < threshold;
    }

    public void OnAccepted(FrameAnalysis frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lastSent?.Dispose();
        lastSent = frame.TakeThumbnail();
    }

    /// <summary>Mean absolute difference of two grey images of the same size, in grey levels.</summary>
    public static double MeanAbsoluteDifference(Mat first, Mat second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        using var difference = new Mat();
        Cv2.Absdiff(first, second, difference);
        return Cv2.Mean(difference).Val0;
    }

    public void Dispose() => lastSent?.Dispose();
}
