using System.Net;
using System.Net.Sockets;
using System.Text;
using GanStream.Pipeline.Imaging;
using GanStream.Schemas;
using OpenCvSharp;

namespace GanStream.Tests.Support;

/// <summary>
/// An HTTP camera on 127.0.0.1 that streams the sample clip as Motion JPEG (<c>multipart/x-mixed-replace</c>), as IP
/// cameras do. It can be stopped and started again on the same port, and it can stall: keep its connections open
/// but send nothing.
/// </summary>
public sealed class MjpegTestServer : IAsyncDisposable
{
    private const string Boundary = "ganstreamframe";

    private readonly List<byte[]> frames;
    private readonly TimeSpan frameInterval;
    private HttpListener? listener;
    private CancellationTokenSource? serving;
    private Task? accepting;
    private volatile bool stalled;
    private int connections;

    private MjpegTestServer(List<byte[]> frames, int port, TimeSpan frameInterval)
    {
        this.frames = frames;
        this.frameInterval = frameInterval;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/stream.mjpg";

    /// <summary>Connections accepted since the server was created.</summary>
    public int Connections => Volatile.Read(ref connections);

    /// <summary>Creates a server on a free port with the first frames of the sample clip; call <see cref="Start"/>.</summary>
    /// <param name="frameCount">Frames of the clip to loop over.</param>
    /// <param name="frameInterval">Time between two frames on one connection.</param>
    /// <param name="transform">Optional change applied to every frame before it is encoded, for example a resize.</param>
    public static MjpegTestServer Create(int frameCount, TimeSpan frameInterval, Func<Mat, Mat>? transform = null)
    {
        var encoded = new List<byte[]>();
        using (var capture = new VideoCapture(TestPaths.SampleClip))
        using (var frame = new Mat())
        {
            while (encoded.Count < frameCount && capture.Read(frame) && !frame.Empty())
            {
                using Mat image = transform is null ? frame.Clone() : transform(frame);
                encoded.Add(ImageCodec.Encode(image, ImageEncoding.Jpeg, 80));
            }
        }

        return new MjpegTestServer(encoded, FreePort(), frameInterval);
    }

    /// <summary>Puts an extra frame, given as raw bytes, at <paramref name="index"/> of the loop.</summary>
    public void InsertFrame(int index, byte[] jpeg) => frames.Insert(index, jpeg);

    /// <summary>Starts listening; new connections are served until <see cref="StopAsync"/>.</summary>
    public void Start()
    {
        stalled = false;
        listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        serving = new CancellationTokenSource();
        accepting = AcceptAsync(listener, serving.Token);
    }

    /// <summary>Closes the listener and every open connection, as a camera that goes offline.</summary>
    public async Task StopAsync()
    {
        if (listener is null)
        {
            return;
        }

        await serving!.CancelAsync();
        listener.Abort();
        await accepting!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        listener = null;
        serving.Dispose();
        serving = null;
    }

    /// <summary>Stops sending on the open connections while keeping them open; new connections are served.</summary>
    public void StallOpenConnections() => stalled = true;

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptAsync(HttpListener server, CancellationToken cancellationToken)
    {
        var handlers = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                HttpListenerContext context = await server.GetContextAsync().WaitAsync(cancellationToken);
                Interlocked.Increment(ref connections);
                handlers.Add(ServeAsync(context, stalledAtStart: stalled, cancellationToken));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(handlers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ServeAsync(HttpListenerContext context, bool stalledAtStart, CancellationToken cancellationToken)
    {
        // A connection opened before a stall stalls; one opened after it is served normally.
        bool servedBeforeStall = !stalledAtStart;
        try
        {
            context.Response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
            context.Response.SendChunked = true;
            Stream body = context.Response.OutputStream;
            for (int i = 0; !cancellationToken.IsCancellationRequested; i++)
            {
                while (servedBeforeStall && stalled && !cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(100, cancellationToken);
                }

                byte[] frame = frames[i % frames.Count];
                byte[] head = Encoding.ASCII.GetBytes(
                    $"--{Boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {frame.Length}\r\n\r\n");
                await body.WriteAsync(head, cancellationToken);
                await body.WriteAsync(frame, cancellationToken);
                await body.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
                await body.FlushAsync(cancellationToken);
                await Task.Delay(frameInterval, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away or the server stopped.
        }
        finally
        {
            context.Response.Abort();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
