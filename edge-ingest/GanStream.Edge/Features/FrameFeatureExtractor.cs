using GanStream.Pipeline.Imaging;
using GanStream.Schemas;
using OpenCvSharp;

namespace GanStream.Edge.Features;

/// <summary>Reduces a frame by the model's scale factor and compresses it.</summary>
public sealed class FrameFeatureExtractor
{
    public FrameFeatureExtractor(int scaleFactor, ImageEncoding codec, int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scaleFactor, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        if (codec is not (ImageEncoding.Jpeg or ImageEncoding.Webp or ImageEncoding.Png))
        {
            throw new ArgumentOutOfRangeException(nameof(codec), codec, "Use Jpeg, Webp or Png.");
        }

        ScaleFactor = scaleFactor;
        Codec = codec;
        Quality = quality;
    }

    public int ScaleFactor { get; }

    public ImageEncoding Codec { get; }

    public int Quality { get; }

    /// <summary>Size of the features of a frame: each side divided by the scale factor, rounded down.</summary>
    public Size FeatureSize(int frameWidth, int frameHeight) => new(frameWidth / ScaleFactor, frameHeight / ScaleFactor);

    /// <summary>Extracts the compressed features of a BGR frame.</summary>
    /// <returns>The features, or null when the frame is smaller than the scale factor on either side.</returns>
    public ExtractedFeatures? Extract(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Size size = FeatureSize(frame.Width, frame.Height);
        if (size.Width < 1 || size.Height < 1)
        {
            return null;
        }

        byte[] payload;
        if (ScaleFactor == 1)
        {
            payload = ImageCodec.Encode(frame, Codec, Quality);
        }
        else
        {
            // Area averaging is the standard decimation filter: it uses every source pixel and does not alias.
            using var reduced = new Mat();
            Cv2.Resize(frame, reduced, size, 0, 0, InterpolationFlags.Area);
            payload = ImageCodec.Encode(reduced, Codec, Quality);
        }

        return new ExtractedFeatures(payload, size.Width, size.Height);
    }
}

/// <summary>Compressed features of one frame.</summary>
public sealed record ExtractedFeatures(byte[] Payload, int Width, int Height);
