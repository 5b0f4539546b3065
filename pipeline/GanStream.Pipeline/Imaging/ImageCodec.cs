using GanStream.Schemas;
using OpenCvSharp;

namespace GanStream.Pipeline.Imaging;

/// <summary>Encodes and decodes frame images with OpenCV's codecs, checking declared sizes before decoding.</summary>
public static class ImageCodec
{
    /// <summary>Compresses a BGR image.</summary>
    /// <param name="image">8-bit BGR image.</param>
    /// <param name="encoding">JPEG, WebP or PNG.</param>
    /// <param name="quality">JPEG and WebP quality from 1 to 100; ignored for PNG.</param>
    public static byte[] Encode(Mat image, ImageEncoding encoding, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);

        (string extension, ImageEncodingParam[] parameters) = encoding switch
        {
            ImageEncoding.Jpeg => (".jpg", new[] { new ImageEncodingParam(ImwriteFlags.JpegQuality, quality) }),
            ImageEncoding.Webp => (".webp", new[] { new ImageEncodingParam(ImwriteFlags.WebPQuality, quality) }),
            ImageEncoding.Png => (".png", new[] { new ImageEncodingParam(ImwriteFlags.PngCompression, 1) }),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Use JPEG, WebP or PNG."),
        };

        Cv2.ImEncode(extension, image, out byte[] bytes, parameters);
        if (bytes.Length == 0)
        {
            throw new InvalidOperationException($"OpenCV could not encode a {image.Width}x{image.Height} image as {encoding}.");
        }

        return bytes;
    }

    /// <summary>Decodes a compressed image into an 8-bit, 3-channel BGR image after checking its header.</summary>
    /// <returns>The decoded image and no error, or null and the reason the image was rejected.</returns>
    public static (Mat? Image, ImageRejection? Rejection) Decode(
        ReadOnlySpan<byte> data,
        ImageEncoding expectedEncoding,
        int maxWidth,
        int maxHeight)
    {
        if (data.IsEmpty)
        {
            return (null, new ImageRejection(ImageRejectionReason.Empty, "the payload is empty"));
        }

        if (!ImageHeader.TryRead(data, out ImageEncoding actual, out int width, out int height))
        {
            return (null, new ImageRejection(ImageRejectionReason.UnknownFormat, "the payload is not a JPEG, PNG or WebP image"));
        }

        if (expectedEncoding != ImageEncoding.Unspecified && actual != expectedEncoding)
        {
            string detail = $"the payload is {actual} but the message declares {expectedEncoding}";
            return (null, new ImageRejection(ImageRejectionReason.EncodingMismatch, detail));
        }

        if (width > maxWidth || height > maxHeight)
        {
            string detail = $"the image declares {width}x{height} pixels, over the limit of {maxWidth}x{maxHeight}";
            return (null, new ImageRejection(ImageRejectionReason.TooLarge, detail));
        }

        if (!ImageHeader.IsComplete(data, actual))
        {
            string detail = $"the {actual} image of {data.Length} bytes is truncated: its end marker is missing";
            return (null, new ImageRejection(ImageRejectionReason.Corrupt, detail));
        }

        Mat decoded = Cv2.ImDecode(data, ImreadModes.Color);
        if (decoded.Empty())
        {
            decoded.Dispose();
            return (null, new ImageRejection(ImageRejectionReason.Corrupt, $"OpenCV could not decode the {actual} image"));
        }

        if (decoded.Width != width || decoded.Height != height)
        {
            string detail = $"decoded {decoded.Width}x{decoded.Height} pixels but the header declares {width}x{height}";
            decoded.Dispose();
            return (null, new ImageRejection(ImageRejectionReason.Corrupt, detail));
        }

        return (decoded, null);
    }
}
