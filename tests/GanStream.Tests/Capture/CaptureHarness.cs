using System.Threading.Channels;
using GanStream.Edge;
using GanStream.Edge.Accounting;
using GanStream.Edge.Capture;
using GanStream.Pipeline.Logging;
using GanStream.Tests.Support;

namespace GanStream.Tests.Capture;

/// <summary>
/// Runs one camera's capture loop on its own thread and takes every frame it queues, settling each in the camera's
/// account as the processing loop would, so that the account reconciles when the run ends.
/// </summary>
internal sealed class CaptureHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<(ulong Sequence, int Width, int Height)> frames = [];
    private Task? capturing;
    private Task? draining;
    private int disposed;

    public CaptureHarness(CameraOptions camera, EdgeOptions options)
    {
        Camera = camera;
        Options = options;
        Account = new CameraAccount(camera.Id);
        Loop = new CaptureLoop(camera, options, Account, OpenCamera, new LogThrottle(TimeSpan.Zero), Logs.CreateLogger("capture"));
    }

    public CameraOptions Camera { get; }

    public EdgeOptions Options { get; }

    public CameraAccount Account { get; }

    public CaptureLoop Loop { get; }

    public RecordingLoggerProvider Logs { get; } = new();

    /// <summary>Frames taken from the queue so far, with their sequence and size.</summary>
    public IReadOnlyList<(ulong Sequence, int Width, int Height)> Frames
    {
        get
        {
            lock (frames)
            {
                return [.. frames];
            }
        }
    }

    public IFrameSource OpenCamera() => FrameSourceFactory.Open(CameraSourceSpec.Parse(Camera.Source), Options);

    /// <summary>Starts the loop with an opened source, or with none to open it with backoff.</summary>
    public void Start(IFrameSource? source, bool live)
    {
        var queueOptions = new BoundedChannelOptions(Options.CaptureQueueCapacity)
        {
            FullMode = live ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        };
        Channel<CapturedFrame> queue = Channel.CreateBounded<CapturedFrame>(queueOptions, dropped =>
        {
            Account.FrameDropped("capture-queue-full");
            dropped.Dispose();
        });

        capturing = Task.Factory.StartNew(
            () => Loop.Run(source, queue.Writer, stop.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        draining = Task.Run(async () =>
        {
            await foreach (CapturedFrame frame in queue.Reader.ReadAllAsync())
            {
                using (frame)
                {
                    Assert.Equal(OpenCvSharp.MatType.CV_8UC3, frame.Image.Type());
                    lock (frames)
                    {
                        frames.Add((frame.Sequence, frame.Image.Width, frame.Image.Height));
                    }

                    Account.FrameFiltered("taken-by-test");
                }
            }
        });
    }

    /// <summary>Waits until at least <paramref name="count"/> frames were taken.</summary>
    public async Task WaitForFramesAsync(int count, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (Frames.Count < count)
        {
            try
            {
                await Task.Delay(50, limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Only {Frames.Count} of {count} frames arrived within {timeout}.");
            }
        }
    }

    /// <summary>Waits for the loop to end by itself, for example at the end of a file.</summary>
    public async Task WaitForEndAsync(TimeSpan timeout)
    {
        await capturing!.WaitAsync(timeout);
        await draining!.WaitAsync(timeout);
    }

    /// <summary>Stops the loop and waits for it and the queue to finish; calling it again does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stop.CancelAsync();
        if (capturing is not null)
        {
            await capturing.WaitAsync(TimeSpan.FromSeconds(60));
            await draining!.WaitAsync(TimeSpan.FromSeconds(60));
        }

        stop.Dispose();
    }
}
