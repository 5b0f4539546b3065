using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GanStream.Edge.Viewer;

/// <summary>
/// The live viewer's HTTP endpoints: the page at <c>/viewer</c> with its script and style sheet (embedded in this
/// assembly, nothing loaded from elsewhere), the latest frame of each camera as JSON at <c>/viewer/frames</c>, and
/// its images at <c>/viewer/cameras/{id}/input</c> and <c>/output</c>. Every response is marked <c>no-store</c>.
/// </summary>
internal static class ViewerEndpoints
{
    public const string PagePath = "/viewer";

    // The page loads its script, style sheet and images from this edge only.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly ConcurrentDictionary<string, byte[]> Assets = new(StringComparer.Ordinal);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PagePath, (HttpContext context) => Asset(context, "viewer.html", "text/html; charset=utf-8"));
        endpoints.MapGet($"{PagePath}/viewer.js", (HttpContext context) =>
            Asset(context, "viewer.js", "text/javascript; charset=utf-8"));
        endpoints.MapGet($"{PagePath}/viewer.css", (HttpContext context) =>
            Asset(context, "viewer.css", "text/css; charset=utf-8"));
        endpoints.MapGet($"{PagePath}/frames", Frames);
        endpoints.MapGet($"{PagePath}/cameras/{{id}}/input", (string id, LiveViewer viewer, HttpContext context) =>
            Image(context, id, viewer.Latest(id)?.Input, "input"));
        endpoints.MapGet($"{PagePath}/cameras/{{id}}/output", (string id, LiveViewer viewer, HttpContext context) =>
            Image(context, id, viewer.Latest(id)?.Output, "synthesized"));
    }

    private static IResult Frames(EdgeIngestService edge, LiveViewer viewer, HttpContext context)
    {
        NoStore(context);
        long now = Stopwatch.GetTimestamp();
        var cameras = edge.Cameras
            .Select(account => new ViewerCamera(
                account.CameraId,
                account.SourceState.ToString(),
                Describe(account.CameraId, viewer.Latest(account.CameraId), now)))
            .ToArray();
        return Results.Ok(new ViewerFrames(cameras));
    }

    private static ViewerFrameState? Describe(string cameraId, ViewerFrame? frame, long now)
    {
        if (frame is null)
        {
            return null;
        }

        // The frame number in the address makes the browser load an image again only when the frame changed.
        string query = $"?frame={frame.Sequence.ToString(CultureInfo.InvariantCulture)}";
        string camera = Uri.EscapeDataString(cameraId);
        ViewerImageState? input = frame.Input is { } image
            ? new ViewerImageState(
                $"{PagePath}/cameras/{camera}/input{query}",
                InputLabel(frame, image),
                frame.InputKind.ToString(),
                image.Width,
                image.Height,
                image.Bytes.Length)
            : null;
        var output = new ViewerImageState(
            $"{PagePath}/cameras/{camera}/output{query}",
            $"synthesized by {frame.Model} on {frame.ExecutionProvider}: {Describe(frame.Output)}",
            "Synthesized",
            frame.Output.Width,
            frame.Output.Height,
            frame.Output.Bytes.Length);

        return new ViewerFrameState(
            frame.Sequence,
            frame.Latency.TotalMilliseconds,
            frame.ResultsPerSecond,
            Stopwatch.GetElapsedTime(frame.ReceivedTimestamp, now).TotalMilliseconds,
            frame.Model,
            input,
            output);
    }

    private static string InputLabel(ViewerFrame frame, ViewerImage image) => frame.InputKind switch
    {
        ViewerInputKind.Original => $"camera frame: {Describe(image)} (kept for the side-by-side output)",
        _ => string.Create(
            CultureInfo.InvariantCulture,
            $"sent to the cloud: feature {Describe(image)}, from a {frame.SourceWidth}x{frame.SourceHeight} camera frame"),
    };

    /// <summary>Returns the size, encoding and length of an image, for example <c>192x144 JPEG, 12.3 KB</c>.</summary>
    private static string Describe(ViewerImage image) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{image.Width}x{image.Height} {image.EncodingName}, {image.Bytes.Length / 1024.0:F1} KB");

    private static IResult Image(HttpContext context, string cameraId, ViewerImage? image, string kind)
    {
        NoStore(context);
        if (image is null)
        {
            return Results.Problem(
                detail: $"Camera '{cameraId}' has no {kind} image yet: it is not attached, no result came back yet, " +
                    "or the frame kept none.",
                statusCode: StatusCodes.Status404NotFound,
                title: "No image");
        }

        // NOTE: the image is the camera's latest, which may be a newer frame than the one the address names.
        return Results.Bytes(image.Bytes, image.ContentType);
    }

    private static IResult Asset(HttpContext context, string name, string contentType)
    {
        NoStore(context);
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(Assets.GetOrAdd(name, ReadAsset), contentType);
    }

    private static byte[] ReadAsset(string name)
    {
        string resource = $"GanStream.Edge.Viewer.{name}";
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static void NoStore(HttpContext context) => context.Response.Headers.CacheControl = "no-store";

    private sealed record ViewerFrames(IReadOnlyList<ViewerCamera> Cameras);

    private sealed record ViewerCamera(string Id, string State, ViewerFrameState? Frame);

    private sealed record ViewerFrameState(
        ulong Sequence,
        double LatencyMs,
        double? ResultsPerSecond,
        double AgeMs,
        string Model,
        ViewerImageState? Input,
        ViewerImageState Output);

    private sealed record ViewerImageState(string Url, string Label, string Kind, int Width, int Height, int Bytes);
}
