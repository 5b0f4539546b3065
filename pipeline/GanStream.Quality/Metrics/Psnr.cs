using OpenCvSharp;

namespace GanStream.Quality.Metrics;

/// <summary>
/// Peak signal-to-noise ratio of 8-bit RGB images in decibels: <c>10 log10(255² / MSE)</c>, where MSE is the mean
/// squared difference over every pixel of the three colour channels, with no border removed. Identical images have
/// an MSE of 0 and a PSNR of positive infinity, which is returned as <see cref="double.PositiveInfinity"/>.
/// </summary>
public static class Psnr
{
    /// <summary>Largest 8-bit sample value.</summary>
    public const double Peak = 255.0;

    /// <summary>Computes the PSNR of <paramref name="candidate"/> against <paramref name="reference"/>.</summary>
    /// <exception cref="ArgumentException">The images are not 8-bit BGR or differ in size.</exception>
    public static double Compute(Mat reference, Mat candidate) => FromMeanSquaredError(MeanSquaredError(reference, candidate));

    /// <summary>Computes the mean squared difference over all pixels and channels, in squared 8-bit steps.</summary>
    public static double MeanSquaredError(Mat reference, Mat candidate)
    {
        ImageChecks.RequireComparable(reference, candidate);

        // NORM_L2SQR sums the squared differences in double precision without rounding.
        double sumOfSquares = Cv2.Norm(reference, candidate, NormTypes.L2SQR);
        return sumOfSquares / ((double)reference.Width * reference.Height * 3);
    }

    /// <summary>Converts a mean squared error to PSNR in dB; 0 gives positive infinity.</summary>
    public static double FromMeanSquaredError(double meanSquaredError)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(meanSquaredError);
        return meanSquaredError == 0 ? double.PositiveInfinity : 10.0 * Math.Log10(Peak * Peak / meanSquaredError);
    }
}
