using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using GanStream.Pipeline.Imaging;
using GanStream.Schemas;
using OpenCvSharp;

namespace GanStream.Edge.Capture;

/// <summary>
/// A camera that serves Motion JPEG over HTTP: one <c>multipart/x-mixed-replace</c> response whose parts are JPEG
/// frames, as most IP cameras offer it. Each frame's header is checked against the size limits before it is decoded.
/// Not thread-safe: one reader. Disposing it aborts a read in progress.
/// </summary>
public sealed class MjpegHttpSource : IFrameSource
{
    private const string MultipartMediaType = "multipart/x-mixed-replace";

    private readonly HttpClient client;
    private readonly HttpResponseMessage response;
    private readonly MultipartStreamReader reader;
    private readonly CancellationTokenSource disposed = new();
    private readonly TimeSpan readTimeout;
    private readonly int maxWidth;
    private readonly int maxHeight;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private byte[]? firstFrame;

    private MjpegHttpSource(
        CameraSourceSpec spec,
        HttpClient client,
        HttpResponseMessage response,
        MultipartStreamReader reader,
        TimeSpan readTimeout,
        CaptureOptions limits)
    {
        Spec = spec;
        this.client = client;
        this.response = response;
        this.reader = reader;
        this.readTimeout = readTimeout;
        maxWidth = limits.MaxFrameWidth;
        maxHeight = limits.MaxFrameHeight;
    }

    public CameraSourceSpec Spec { get; }

    public int Width { get; private set; }

    public int Height { get; private set; }

    /// <summary>Always null: an MJPEG stream declares no frame rate.</summary>
    public double? FramesPerSecond => null;

    public long? DeclaredFrameCount => null;

    public string BackendName => "HTTP-MJPEG";

    /// <summary>Time since the stream was opened.</summary>
    public TimeSpan Position => clock.Elapsed;

    /// <summary>True for <c>http</c> and <c>https</c> URLs, which this source reads instead of OpenCV.</summary>
    public static bool Handles(CameraSourceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind == CameraSourceKind.Url &&
            (spec.Location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
             spec.Location.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Connects, checks that the response is an MJPEG stream, and reads its first frame.</summary>
    /// <param name="openTimeout">Limit for connecting and receiving the response headers and first frame.</param>
    /// <param name="readTimeout">Limit for receiving each later frame.</param>
    /// <exception cref="CameraSourceException">The URL does not return an MJPEG stream in time.</exception>
    public static MjpegHttpSource Open(
        CameraSourceSpec spec,
        TimeSpan openTimeout,
        TimeSpan readTimeout,
        CaptureOptions limits)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);

        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = openTimeout,
            AllowAutoRedirect = false,
            MaxResponseHeadersLength = 64,
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        HttpResponseMessage? response = null;
        try
        {
            using var timeout = new CancellationTokenSource(openTimeout);
            using var request = CreateRequest(spec.Location);
            response = client.Send(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            string boundary = ReadBoundary(spec, response);
            Stream body = response.Content.ReadAsStream(timeout.Token);
            var reader = new MultipartStreamReader(body, boundary, limits.MaxStreamFrameBytes);
            var source = new MjpegHttpSource(spec, client, response, reader, readTimeout, limits);
            source.ReadFirstFrame(timeout.Token);
            return source;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or
            InvalidDataException or IOException)
        {
            response?.Dispose();
            client.Dispose();
            string reason = exception is OperationCanceledException
                ? $"no MJPEG frame within {openTimeout.TotalSeconds:F0} s"
                : exception.Message;
            throw new CameraSourceException($"Could not open camera source '{spec.DisplayName}': {reason}", exception);
        }
        catch (CameraSourceException)
        {
            response?.Dispose();
            client.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public SourceRead Read()
    {
        byte[]? bytes;
        try
        {
            bytes = Interlocked.Exchange(ref firstFrame, null) ?? ReadPart(readTimeout);
        }
        catch (OperationCanceledException) when (!disposed.IsCancellationRequested)
        {
            return SourceRead.Fail($"no frame within the read timeout of {readTimeout.TotalSeconds:F0} s");
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            return SourceRead.Fail("the source was closed while reading");
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or HttpRequestException)
        {
            return SourceRead.Fail(exception.Message);
        }

        return bytes is null ? SourceRead.Ended : Decode(bytes);
    }

    public void Dispose()
    {
        if (disposed.IsCancellationRequested)
        {
            return;
        }

        disposed.Cancel();
        response.Dispose();
        client.Dispose();
        disposed.Dispose();
    }

    private static HttpRequestMessage CreateRequest(string location)
    {
        var uri = new Uri(location);
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // Credentials in the URL become HTTP basic authentication; DisplayName keeps them out of logs.
            string credentials = Uri.UnescapeDataString(uri.UserInfo);
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        return request;
    }

    private static string ReadBoundary(CameraSourceSpec spec, HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new CameraSourceException(
                $"Could not open camera source '{spec.DisplayName}': HTTP status {(int)response.StatusCode}.");
        }

        MediaTypeHeaderValue? contentType = response.Content.Headers.ContentType;
        string? boundary = contentType?.Parameters
            .FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        if (!string.Equals(contentType?.MediaType, MultipartMediaType, StringComparison.OrdinalIgnoreCase) ||
            string.IsNullOrWhiteSpace(boundary))
        {
            throw new CameraSourceException(
                $"Could not open camera source '{spec.DisplayName}': the response is '{contentType?.MediaType}', " +
                $"not an MJPEG stream ({MultipartMediaType} with a boundary).");
        }

        return boundary;
    }

    private void ReadFirstFrame(CancellationToken cancellationToken)
    {
        byte[] bytes = reader.ReadPartAsync(cancellationToken).AsTask().GetAwaiter().GetResult()
            ?? throw new InvalidDataException("the stream ended before its first frame");
        if (ImageHeader.TryRead(bytes, out _, out int width, out int height))
        {
            Width = width;
            Height = height;
        }

        firstFrame = bytes;
    }

    private byte[]? ReadPart(TimeSpan timeout)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(disposed.Token);
        linked.CancelAfter(timeout);
        return reader.ReadPartAsync(linked.Token).AsTask().GetAwaiter().GetResult();
    }

    private SourceRead Decode(byte[] bytes)
    {
        (Mat? image, ImageRejection? rejection) = ImageCodec.Decode(bytes, ImageEncoding.Jpeg, maxWidth, maxHeight);
        if (image is not null)
        {
            return SourceRead.FromImage(image);
        }

        string reason = rejection!.Reason == ImageRejectionReason.TooLarge ? "frame-too-large" : "undecodable-frame";
        return SourceRead.Reject(reason, rejection.Detail);
    }
}
