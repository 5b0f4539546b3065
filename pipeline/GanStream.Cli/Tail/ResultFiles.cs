using System.Globalization;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;

namespace GanStream.Cli.Tail;

/// <summary>
/// Where <c>ganstream tail</c> saves a synthesized image: <c>{camera}/{sequence:D8}-{correlation-id}.{ext}</c> under
/// the output folder. The name depends only on the result, so a redelivered result overwrites its own file.
/// </summary>
internal static class ResultFiles
{
    /// <summary>Folder name used when a result's camera id is not a valid camera id.</summary>
    public const string UnknownCamera = "unknown-camera";

    public static string RelativePath(SynthesisResult result, string? correlationId, int partition, long offset)
    {
        ArgumentNullException.ThrowIfNull(result);

        // Both values come from the network, so only ids that are safe as file names are used as they are.
        string camera = CameraIds.IsValid(result.CameraId) ? result.CameraId : UnknownCamera;
        string identity = CorrelationIds.IsValid(correlationId)
            ? correlationId!
            : string.Create(CultureInfo.InvariantCulture, $"p{partition}-o{offset}");
        string extension = Extension(result.Encoding);
        string name = string.Create(CultureInfo.InvariantCulture, $"{result.FrameSequence:D8}-{identity}.{extension}");
        return Path.Combine(camera, name);
    }

    public static string Extension(ImageEncoding encoding) => encoding switch
    {
        ImageEncoding.Jpeg => "jpg",
        ImageEncoding.Webp => "webp",
        ImageEncoding.Png => "png",
        _ => "bin",
    };
}
