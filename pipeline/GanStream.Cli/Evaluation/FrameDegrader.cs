using System.Globalization;
using GanStream.Cli.Hosting;
using GanStream.Edge.Features;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Models;
using GanStream.Schemas;
using OpenCvSharp;

namespace GanStream.Cli.Evaluation;

/// <summary>
/// Turns a frame into the low-resolution image a worker receives, exactly as the edge does it
/// (<see cref="FrameFeatureExtractor"/>: OpenCV area downscale by the scale factor, then the codec and quality the
/// model's manifest names), and upscales those features bicubically as the baseline.
/// </summary>
internal sealed class FrameDegrader
{
    private readonly FrameFeatureExtractor extractor;

    public FrameDegrader(int scaleFactor, ImageEncoding codec, int quality)
    {
        extractor = new FrameFeatureExtractor(scaleFactor, codec, quality);
    }

    public int ScaleFactor => extractor.ScaleFactor;

    public ImageEncoding Codec => extractor.Codec;

    public int Quality => extractor.Quality;

    /// <summary>Short description of the degradation, for example <c>x4, Jpeg 90</c>.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture, $"x{ScaleFactor}, {Codec} {Quality}");

    /// <summary>Creates the degrader the edge would use for a model.</summary>
    /// <exception cref="CliException">The manifest names a codec the edge cannot produce.</exception>
    public static FrameDegrader ForModel(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        bool known = Enum.TryParse(manifest.Feature.Codec, ignoreCase: true, out ImageEncoding codec);
        if (!known || codec == ImageEncoding.Unspecified)
        {
            throw new CliException($"Model {manifest.Id}: feature codec '{manifest.Feature.Codec}' is not jpeg, webp or png.");
        }

        return new FrameDegrader(manifest.ScaleFactor, codec, manifest.Feature.Quality);
    }

    /// <summary>Returns the decoded low-resolution features of a frame whose sides are multiples of the scale factor.</summary>
    public Mat Degrade(Mat frame)
    {
        ExtractedFeatures features = extractor.Extract(frame)
            ?? throw new CliException($"A {frame.Width}x{frame.Height} frame is smaller than the scale factor {ScaleFactor}.");
        (Mat? decoded, ImageRejection? rejection) = ImageCodec.Decode(features.Payload, Codec, features.Width, features.Height);
        return decoded
            ?? throw new InvalidOperationException($"The edge's own features could not be decoded: {rejection!.Detail}");
    }

    /// <summary>Upscales features by the scale factor with bicubic interpolation.</summary>
    public Mat Bicubic(Mat features)
    {
        var upscaled = new Mat();
        var size = new Size(features.Width * ScaleFactor, features.Height * ScaleFactor);
        Cv2.Resize(features, upscaled, size, 0, 0, InterpolationFlags.Cubic);
        return upscaled;
    }

    /// <summary>
    /// Crops a frame at its top-left corner to sides that are multiples of <paramref name="multiple"/>, so that the
    /// upscaled features line up with it pixel for pixel.
    /// </summary>
    public static Mat Crop(Mat frame, int multiple)
    {
        int width = frame.Width - (frame.Width % multiple);
        int height = frame.Height - (frame.Height % multiple);
        return new Mat(frame, new Rect(0, 0, width, height)).Clone();
    }
}
