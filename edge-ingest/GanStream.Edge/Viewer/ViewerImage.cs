using GanStream.Schemas;

namespace GanStream.Edge.Viewer;

/// <summary>What an input image of the viewer is.</summary>
public enum ViewerInputKind
{
    /// <summary>The reduced, compressed image sent to the workers (the payload of the feature message).</summary>
    Feature,

    /// <summary>The camera frame at its full size, JPEG-compressed for the side-by-side output.</summary>
    Original,
}

/// <summary>
/// An encoded image the viewer serves as it is. <see cref="Bytes"/> refers to the memory of a message already
/// received or sent, so keeping it copies nothing.
/// </summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public sealed record ViewerImage(ReadOnlyMemory<byte> Bytes, ImageEncoding Encoding, int Width, int Height)
{
    /// <summary>The media type of <see cref="Encoding"/>, for the Content-Type header.</summary>
    public string ContentType => Encoding switch
    {
        ImageEncoding.Jpeg => "image/jpeg",
        ImageEncoding.Webp => "image/webp",
        ImageEncoding.Png => "image/png",
        _ => "application/octet-stream",
    };

    /// <summary>The encoding as a short upper-case name, for example <c>JPEG</c>.</summary>
    public string EncodingName => Encoding switch
    {
        ImageEncoding.Jpeg => "JPEG",
        ImageEncoding.Webp => "WebP",
        ImageEncoding.Png => "PNG",
        _ => Encoding.ToString(),
    };
}
