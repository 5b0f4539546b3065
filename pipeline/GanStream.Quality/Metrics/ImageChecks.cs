using OpenCvSharp;

namespace GanStream.Quality.Metrics;

/// <summary>Argument checks shared by the full-reference metrics.</summary>
internal static class ImageChecks
{
    /// <summary>Throws unless both images are 8-bit, 3-channel and of the same size.</summary>
    public static void RequireComparable(Mat reference, Mat candidate)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        RequireBgr8(reference, nameof(reference));
        RequireBgr8(candidate, nameof(candidate));
        if (reference.Size() != candidate.Size())
        {
            throw new ArgumentException(
                $"The images differ in size: reference {reference.Width}x{reference.Height}, candidate " +
                $"{candidate.Width}x{candidate.Height}. Crop or resize them to the same size first.",
                nameof(candidate));
        }
    }

    public static void RequireBgr8(Mat image, string parameterName)
    {
        if (image.Empty() || image.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException(
                $"Expected a non-empty 8-bit 3-channel BGR image, got {image.Type()} of {image.Width}x{image.Height}.",
                parameterName);
        }
    }
}
