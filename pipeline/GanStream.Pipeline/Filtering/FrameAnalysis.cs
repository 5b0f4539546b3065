using OpenCvSharp;

namespace GanStream.Pipeline.Filtering;

/// <summary>Derived images of one frame, computed once and shared by the filters.</summary>
public sealed class FrameAnalysis : IDisposable
{
    /// <summary>Size of the thumbnail used to compare frames.</summary>
    public static readonly Size ThumbnailSize = new(64, 48);

    private Mat? gray;
    private Mat? thumbnail;

    public FrameAnalysis(Mat image, TimeSpan mediaTime)
    {
        Image = image;
        MediaTime = mediaTime;
    }

    /// <summary>The frame, 8-bit BGR; owned by the caller.</summary>
    public Mat Image { get; }

    public TimeSpan MediaTime { get; }

    /// <summary>The frame in grey levels.</summary>
    public Mat Gray
    {
        get
        {
            if (gray is null)
            {
                gray = new Mat();
                Cv2.CvtColor(Image, gray, ColorConversionCodes.BGR2GRAY);
            }

            return gray;
        }
    }

    /// <summary>The grey frame reduced to <see cref="ThumbnailSize"/> by area averaging.</summary>
    public Mat Thumbnail
    {
        get
        {
            if (thumbnail is null)
            {
                thumbnail = new Mat();
                Cv2.Resize(Gray, thumbnail, ThumbnailSize, 0, 0, InterpolationFlags.Area);
            }

            return thumbnail;
        }
    }

    /// <summary>Hands the thumbnail to the caller, who then owns and disposes it.</summary>
    public Mat TakeThumbnail()
    {
        Mat taken = Thumbnail;
        thumbnail = null;
        return taken;
    }

    public void Dispose()
    {
        gray?.Dispose();
        thumbnail?.Dispose();
    }
}
