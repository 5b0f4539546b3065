using System.Diagnostics;
using System.Threading.Channels;
using GanStream.Edge.Accounting;
using GanStream.Edge.Capture;
using GanStream.Edge.Features;
using GanStream.Edge.Filtering;
using GanStream.Edge.Publishing;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace GanStream.Edge;

/// <summary>
/// One camera: a capture thread that reads frames into a bounded queue, and a processing loop that filters them,
/// extracts features and publishes them. A live source never waits for the network: when the queue is full the
/// oldest frame is dropped and counted. A file source waits instead, so no frame of a file is lost.
/// </summary>
internal sealed class CameraPipeline
{
    private readonly CameraOptions camera;
    private readonly EdgeOptions options;
    private readonly FrameFeatureExtractor extractor;
    private readonly FeaturePublisher publisher;
    private readonly InFlightFrames inFlight;
    private readonly ILogger logger;
    private readonly SemaphoreSlim window;

    public CameraPipeline(
        CameraOptions camera,
        EdgeOptions options,
        FrameFeatureExtractor extractor,
        FeaturePublisher publisher,
        InFlightFrames inFlight,
        ILogger logger)
    {
        this.camera = camera;
        this.options = options;
        this.extractor = extractor;
        this.publisher = publisher;
        this.inFlight = inFlight;
        this.logger = logger;
        Account = new CameraAccount(camera.Id);
        window = new SemaphoreSlim(options.MaxInFlightPerCamera, options.MaxInFlightPerCamera);
    }

    public CameraAccount Account { get; }

    public string CameraId => camera.Id;

    /// <summary>Opens the source; a failure here is reported before any frame is read.</summary>
    /// <exception cref="CameraSourceException">The source cannot be opened.</exception>
    public CameraSource Open()
    {
        CameraSourceSpec spec;
        try
        {
            spec = CameraSourceSpec.Parse(camera.Source);
        }
        catch (ArgumentException exception)
        {
            throw new CameraSourceException(exception.Message, exception);
        }

        CameraSource source = CameraSource.Open(spec, options.SourceOpenTimeout, options.SourceReadTimeout);
        Account.SourceFramesPerSecond = source.FramesPerSecond;
        string fps = source.FramesPerSecond?.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";
        EdgeLog.CameraOpened(logger, camera.Id, spec.DisplayName, source.Width, source.Height, fps, source.BackendName);
        return source;
    }

    /// <summary>Reads and processes frames until the source ends or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CameraSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var queueOptions = new BoundedChannelOptions(options.CaptureQueueCapacity)
        {
            FullMode = source.Spec.IsLive ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        };
        Channel<CapturedFrame> queue = Channel.CreateBounded<CapturedFrame>(queueOptions, OnCaptureQueueOverflow);

        using var filters = new FilterChain(options.Filters);
        Task capture = Task.Factory.StartNew(
            () => Capture(source, queue.Writer, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            await foreach (CapturedFrame frame in queue.Reader.ReadAllAsync(cancellationToken))
            {
                using (frame)
                {
                    await ProcessAsync(frame, filters, source.Spec.IsLive, cancellationToken);
                }
            }
        }
        finally
        {
            await capture.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            while (queue.Reader.TryRead(out CapturedFrame? left))
            {
                Account.FrameDropped("shutdown");
                left.Dispose();
            }
        }
    }

    private void Capture(CameraSource source, ChannelWriter<CapturedFrame> queue, CancellationToken cancellationToken)
    {
        ulong sequence = 0;
        var clock = Stopwatch.StartNew();
        TimeSpan? firstMediaTime = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested && (camera.MaxFrames == 0 || (long)sequence < camera.MaxFrames))
            {
                var image = new Mat();
                long readStarted = Stopwatch.GetTimestamp();
                if (!source.Read(image))
                {
                    image.Dispose();
                    break;
                }

                Account.CaptureTimed(Stopwatch.GetElapsedTime(readStarted));

                TimeSpan mediaTime = source.Spec.IsLive ? clock.Elapsed : source.Position;
                if (camera.RealTime && !source.Spec.IsLive)
                {
                    firstMediaTime ??= mediaTime;
                    WaitUntil(clock, mediaTime - firstMediaTime.Value, cancellationToken);
                }

                Mat bgr = FrameNormalizer.ToBgr8(image);
                if (!ReferenceEquals(bgr, image))
                {
                    image.Dispose();
                }

                var frame = new CapturedFrame(camera.Id, sequence++, DateTimeOffset.UtcNow, mediaTime, bgr);
                Account.FrameRead();
                if (!Enqueue(queue, frame, cancellationToken))
                {
                    frame.Dispose();
                    Account.FrameDropped("shutdown");
                    break;
                }
            }

            EdgeLog.CameraEnded(logger, camera.Id, source.Spec.DisplayName, (long)sequence);
        }
        finally
        {
            queue.TryComplete();
        }
    }

    private static bool Enqueue(ChannelWriter<CapturedFrame> queue, CapturedFrame frame, CancellationToken cancellationToken)
    {
        try
        {
            while (!queue.TryWrite(frame))
            {
                if (!queue.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                {
                    return false;
                }
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ProcessAsync(CapturedFrame frame, FilterChain filters, bool live, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        string? filter = filters.Evaluate(frame.Image, frame.MediaTime);
        Account.FilterTimed(Stopwatch.GetElapsedTime(started));
        if (filter is not null)
        {
            Account.FrameFiltered(filter);
            return;
        }

        started = Stopwatch.GetTimestamp();
        ExtractedFeatures? features = extractor.Extract(frame.Image);
        Account.EncodeTimed(Stopwatch.GetElapsedTime(started));
        if (features is null)
        {
            Account.FrameDropped("too-small");
            EdgeLog.FrameDropped(
                logger,
                camera.Id,
                frame.Sequence,
                $"{frame.Image.Width}x{frame.Image.Height} is smaller than the scale factor {extractor.ScaleFactor}");
            return;
        }

        // A live source never waits for a slot: the frame is dropped. A file waits, so none of its frames is lost.
        bool acquired;
        try
        {
            acquired = await window.WaitAsync(live ? TimeSpan.Zero : Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped while the frame waited for a slot: it was read, so it still gets an outcome.
            Account.FrameDropped("shutdown");
            throw;
        }

        if (!acquired)
        {
            Account.FrameDropped("in-flight-limit");
            return;
        }

        byte[]? original = options.Output.WriteSideBySide ? ImageCodec.Encode(frame.Image, ImageEncoding.Jpeg, 90) : null;
        var pending = new PendingFrame(CorrelationIds.Create(), Account, frame.Sequence, frame.CaptureTimestamp, original, window);
        var message = new FrameFeatures
        {
            SchemaVersion = SchemaVersions.FrameFeatures,
            CameraId = camera.Id,
            FrameSequence = frame.Sequence,
            CaptureTime = Timestamp.FromDateTimeOffset(frame.CaptureTime),
            FeatureKind = extractor.ScaleFactor == 1 ? FeatureKind.FullFrame : FeatureKind.Downscaled,
            Encoding = extractor.Codec,
            Width = (uint)features.Width,
            Height = (uint)features.Height,
            SourceWidth = (uint)frame.Image.Width,
            SourceHeight = (uint)frame.Image.Height,
            Payload = UnsafeByteOperations.UnsafeWrap(features.Payload),
            Model = options.Features.Model ?? string.Empty,
        };

        inFlight.Add(pending);
        Account.FrameSent(features.Payload.Length);
        await publisher.PublishAsync(pending, message, cancellationToken);
    }

    private void OnCaptureQueueOverflow(CapturedFrame dropped)
    {
        Account.FrameDropped("capture-queue-full");
        dropped.Dispose();
    }

    private static void WaitUntil(Stopwatch clock, TimeSpan due, CancellationToken cancellationToken)
    {
        TimeSpan wait = due - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            cancellationToken.WaitHandle.WaitOne(wait);
        }
    }
}
