using OpenCvSharp;

namespace GanStream.Quality.Metrics;

/// <summary>
/// Structural similarity (Wang, Bovik, Sheikh and Simoncelli, "Image quality assessment: from error visibility to
/// structural similarity", IEEE Transactions on Image Processing, 2004) of 8-bit RGB images, computed on the ITU-R
/// BT.601 luma <c>Y = 0.299 R + 0.587 G + 0.114 B</c> (0 to 255, not rounded). Local statistics use an 11x11
/// Gaussian window with σ = 1.5 normalised to sum 1, population (biased) variances, <c>C1 = (0.01 · 255)²</c> and
/// <c>C2 = (0.03 · 255)²</c>. The index is the mean of the SSIM map over the positions where the whole window lies
/// inside the image, so no padding enters it. This is scikit-image's <c>structural_similarity</c> with
/// <c>gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255</c> applied to that luma.
/// </summary>
public static class Ssim
{
    public const int WindowSize = 11;
    public const double WindowSigma = 1.5;
    public const double K1 = 0.01;
    public const double K2 = 0.03;

    private const double C1 = K1 * 255 * (K1 * 255);
    private const double C2 = K2 * 255 * (K2 * 255);
    private const int Border = WindowSize / 2;

    /// <summary>Computes the mean SSIM of <paramref name="candidate"/> against <paramref name="reference"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The images are not 8-bit BGR, differ in size, or are smaller than the window on either side.
    /// </exception>
    public static double Compute(Mat reference, Mat candidate)
    {
        ImageChecks.RequireComparable(reference, candidate);
        if (reference.Width < WindowSize || reference.Height < WindowSize)
        {
            throw new ArgumentException(
                $"SSIM needs images of at least {WindowSize}x{WindowSize} pixels, got {reference.Width}x{reference.Height}.",
                nameof(reference));
        }

        using Mat x = Luma(reference);
        using Mat y = Luma(candidate);
        using Mat xx = x.Mul(x);
        using Mat yy = y.Mul(y);
        using Mat xy = x.Mul(y);

        using Mat muX = LocalMean(x);
        using Mat muY = LocalMean(y);
        using Mat meanXx = LocalMean(xx);
        using Mat meanYy = LocalMean(yy);
        using Mat meanXy = LocalMean(xy);

        return MeanIndex(muX, muY, meanXx, meanYy, meanXy);
    }

    /// <summary>Converts 8-bit BGR to BT.601 luma as 64-bit floats.</summary>
    internal static Mat Luma(Mat bgr)
    {
        using var wide = new Mat();
        bgr.ConvertTo(wide, MatType.CV_64FC3);
        using var weights = Mat.FromArray(new double[,] { { 0.114, 0.587, 0.299 } });
        var luma = new Mat();
        Cv2.Transform(wide, luma, weights);
        return luma;
    }

    /// <summary>Gaussian-weighted local means at the positions where the whole window fits in the image.</summary>
    private static Mat LocalMean(Mat plane)
    {
        using var blurred = new Mat();
        Cv2.GaussianBlur(plane, blurred, new Size(WindowSize, WindowSize), WindowSigma, WindowSigma, BorderTypes.Reflect101);
        var inside = new Rect(Border, Border, plane.Width - (2 * Border), plane.Height - (2 * Border));
        return new Mat(blurred, inside).Clone();
    }

    private static unsafe double MeanIndex(Mat muX, Mat muY, Mat meanXx, Mat meanYy, Mat meanXy)
    {
        int rows = muX.Rows;
        int columns = muX.Cols;
        double sum = 0;
        for (int row = 0; row < rows; row++)
        {
            double* mx = (double*)muX.Ptr(row);
            double* my = (double*)muY.Ptr(row);
            double* exx = (double*)meanXx.Ptr(row);
            double* eyy = (double*)meanYy.Ptr(row);
            double* exy = (double*)meanXy.Ptr(row);
            for (int column = 0; column < columns; column++)
            {
                double varianceX = exx[column] - (mx[column] * mx[column]);
                double varianceY = eyy[column] - (my[column] * my[column]);
                double covariance = exy[column] - (mx[column] * my[column]);
                double numerator = ((2 * mx[column] * my[column]) + C1) * ((2 * covariance) + C2);
                double denominator = ((mx[column] * mx[column]) + (my[column] * my[column]) + C1) * (varianceX + varianceY + C2);
                sum += numerator / denominator;
            }
        }

        return sum / ((double)rows * columns);
    }
}
