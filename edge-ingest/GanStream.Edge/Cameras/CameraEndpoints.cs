using System.Text.Json;
using GanStream.Edge.Accounting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace GanStream.Edge.Cameras;

/// <summary>
/// The camera API of a running edge: <c>GET /cameras</c> lists the cameras, <c>GET /cameras/{id}</c> shows one,
/// <c>POST /cameras</c> attaches one and <c>DELETE /cameras/{id}</c> removes one. Errors are RFC 9457 problem
/// details: 400 for invalid settings or a source that cannot be opened, 404 for an unknown id, 409 for a taken id
/// or an edge that is starting or stopping.
/// </summary>
internal static class CameraEndpoints
{
    public const string Path = "/cameras";

    /// <summary>Largest request body accepted, in bytes; a camera's settings take a few hundred.</summary>
    private const long MaxRequestBytes = 64 * 1024;

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (EdgeIngestService edge) =>
            Results.Ok(edge.DescribeCameras().Select(CameraState.From).ToArray()));
        endpoints.MapGet($"{Path}/{{id}}", (string id, EdgeIngestService edge) =>
            edge.DescribeCameras().FirstOrDefault(camera => camera.Id == id) is { } found
                ? Results.Ok(CameraState.From(found))
                : NotFound(id));
        endpoints.MapPost(Path, AttachAsync);
        endpoints.MapDelete($"{Path}/{{id}}", RemoveAsync);
    }

    private static async Task<IResult> AttachAsync(HttpContext context, EdgeIngestService edge)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxRequestBytes;
        }

        CameraRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<CameraRequest>(
                context.Request.Body,
                RequestJson,
                context.RequestAborted);
        }
        catch (JsonException exception)
        {
            return Problem(
                StatusCodes.Status400BadRequest,
                "Invalid camera",
                $"The request body is not a valid camera: {exception.Message} Send a JSON object such as " +
                "{\"id\": \"gate\", \"source\": \"rtsp://10.0.0.5/stream\"}.");
        }
        catch (BadHttpRequestException exception)
        {
            return Problem(exception.StatusCode, "Invalid request", exception.Message);
        }

        if (request is null)
        {
            return Problem(
                StatusCodes.Status400BadRequest,
                "Invalid camera",
                "The request body is JSON null; send a JSON object with at least \"id\" and \"source\".");
        }

        try
        {
            CameraInfo attached = await edge.AttachCameraAsync(request.ToOptions());
            return Results.Created($"{Path}/{Uri.EscapeDataString(attached.Id)}", CameraState.From(attached));
        }
        catch (CameraRequestException exception)
        {
            return Problem(exception);
        }
    }

    private static async Task<IResult> RemoveAsync(string id, HttpContext context, EdgeIngestService edge)
    {
        try
        {
            CameraSnapshot counts = await edge.RemoveCameraAsync(id, context.RequestAborted);
            return Results.Ok(new RemovedCamera(id, CameraCounts.From(counts)));
        }
        catch (CameraRequestException exception)
        {
            return Problem(exception);
        }
    }

    private static IResult NotFound(string id) =>
        Problem(
            StatusCodes.Status404NotFound,
            "Camera not found",
            $"No camera with id '{id}' is attached; GET {Path} lists the cameras.");

    private static IResult Problem(CameraRequestException exception) => exception.Error switch
    {
        CameraRequestError.NotFound => Problem(StatusCodes.Status404NotFound, "Camera not found", exception.Message),
        CameraRequestError.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", exception.Message),
        _ => Problem(StatusCodes.Status400BadRequest, "Invalid camera", exception.Message),
    };

    private static IResult Problem(int statusCode, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: statusCode, title: title);

    /// <summary>The body of <c>POST /cameras</c>: the settings of one item of <c>Edge:Cameras</c>.</summary>
    private sealed class CameraRequest
    {
        public string? Id { get; set; }

        public string? Source { get; set; }

        public bool RealTime { get; set; }

        public long MaxFrames { get; set; }

        public bool Loop { get; set; }

        public CameraOptions ToOptions() => new()
        {
            Id = Id ?? string.Empty,
            Source = Source ?? string.Empty,
            RealTime = RealTime,
            MaxFrames = MaxFrames,
            Loop = Loop,
        };
    }

    private sealed record CameraState(
        string Id,
        string Source,
        string State,
        bool Attached,
        bool Removing,
        bool RealTime,
        bool Loop,
        long MaxFrames,
        CameraCounts Counts)
    {
        public static CameraState From(CameraInfo camera) => new(
            camera.Id,
            camera.Source,
            camera.State.ToString(),
            camera.Attached,
            camera.Removing,
            camera.RealTime,
            camera.Loop,
            camera.MaxFrames,
            CameraCounts.From(camera.Counts));
    }

    private sealed record RemovedCamera(string Id, CameraCounts Counts);

    /// <summary>A camera's counts without its latency samples.</summary>
    private sealed record CameraCounts(
        long Read,
        IReadOnlyDictionary<string, long> Filtered,
        IReadOnlyDictionary<string, long> Dropped,
        long Sent,
        long Synthesized,
        IReadOnlyDictionary<string, long> Rejected,
        long Expired,
        long Queued,
        long InFlight,
        bool Reconciles)
    {
        public static CameraCounts From(CameraSnapshot snapshot) => new(
            snapshot.Read,
            snapshot.Filtered,
            snapshot.Dropped,
            snapshot.Sent,
            snapshot.Synthesized,
            snapshot.Rejected,
            snapshot.Expired,
            snapshot.Queued,
            snapshot.InFlight,
            snapshot.Reconciles);
    }
}
