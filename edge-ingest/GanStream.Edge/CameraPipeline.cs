using System.Diagnostics;
using System.Threading.Channels;
using GanStream.Edge.Accounting;
using GanStream.Edge.Capture;
using GanStream.Edge.Features;
using GanStream.Pipeline.Filtering;
using GanStream.Edge.Publishing;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Logging;
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
/// oldest frame is dropped and counted. A file source waits instead, so no frame of a file is lost. Every frame read
/// ends in exactly one outcome in <see cref="Account"/>, also when processing fails or the edge stops.
/// </summary>
internal sealed class CameraPipeline
{
    private readonly CameraOptions camera;
    private readonly EdgeOptions options;
    private readonly FrameFeatureExtractor extractor;
    private readonly IFeatureSink sink;
    private readonly FilterOptions filterOptions;
    private readonly string model;
    private readonly InFlightFrames inFlight;
    private readonly LogThrottle throttle;
    private readonly ILogger logger;
    private readonly SemaphoreSlim window;

    public CameraPipeline(
        CameraOptions camera,
        EdgeOptions options,
        FrameFeatureExtractor extractor,
        FeatureRoute route,
        InFlightFrames inFlight,
        LogThrottle throttle,
        ILogger logger)
    {
        this.camera = camera;
        this.options = options;
        this.extractor = extractor;
        sink = route.Sink;
        filterOptions = route.Filters;
        model = route.Model;
        this.inFlight = inFlight;
        this.throttle = throttle;
        this.logger = logger;
        Account = new CameraAccount(camera.Id);
        window = new SemaphoreSlim(options.MaxInFlightPerCamera, options.MaxInFlightPerCamera);
    }

    public CameraAccount Account { get; }

    public string CameraId => camera.Id;

    /// <summary>
    /// Drop reason of the frames still queued when capture is cancelled: <c>shutdown</c> (default) when the edge
    /// stops, <c>camera-removed</c> when the camera alone is removed.
    /// </summary>
    public string StopReason { get; set; } = "shutdown";

    /// <summary>Parses the camera's source setting.</summary>
    /// <exception cref="CameraSourceException">The setting is not a usable file, URL or device.</exception>
    public CameraSourceSpec ParseSource()
    {
        try
        {
            return CameraSourceSpec.Parse(camera.Source);
        }
        catch (ArgumentException exception)
        {
            throw new CameraSourceException(exception.Message, exception);
        }
    }

    /// <summary>Opens the source; a failure here is reported before any frame is read.</summary>
    /// <exception cref="CameraSourceException">The source cannot be opened.</exception>
    public IFrameSource Open()
    {
        CameraSourceSpec spec = ParseSource();
        IFrameSource source = FrameSourceFactory.Open(spec, options);
        Account.SourceFramesPerSecond = source.FramesPerSecond;
        string fps = source.FramesPerSecond?.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";
        EdgeLog.CameraOpened(logger, camera.Id, spec.DisplayName, source.Width, source.Height, fps, source.BackendName);
        return source;
    }

    /// <summary>
    /// Reads and processes frames until the source ends or <paramref name="cancellationToken"/> fires; frames still
    /// queued at that moment are dropped as <c>shutdown</c>.
    /// </summary>
    /// <param name="source">The opened source, or null for a live source that is to be opened with backoff.</param>
    /// <exception cref="CameraSourceException">Capture ended early, for example after a live source was given up.</exception>
    public async Task RunAsync(IFrameSource? source, bool live, CancellationToken cancellationToken)
    {
        var queueOptions = new BoundedChannelOptions(options.CaptureQueueCapacity)
        {
            FullMode = live ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        };
        Channel<CapturedFrame> queue = Channel.CreateBounded<CapturedFrame>(queueOptions, OnCaptureQueueOverflow);

        using var filters = new FilterChain(filterOptions);
        using var stopCapture = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var capture = new CaptureLoop(camera, options, Account, OpenAgain, throttle, logger);
        Task capturing = Task.Factory.StartNew(
            () => capture.Run(source, queue.Writer, stopCapture.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            // The capture thread completes the queue whenever it stops, so this loop always ends.
            await foreach (CapturedFrame frame in queue.Reader.ReadAllAsync(CancellationToken.None))
            {
                using (frame)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        Account.FrameDropped(StopReason);
                        continue;
                    }

                    await ProcessAsync(frame, filters, live, cancellationToken);
                }
            }
        }
        catch
        {
            // Processing failed unexpectedly: stop capture and settle what it had queued before the camera fails.
            await stopCapture.CancelAsync();
            await foreach (CapturedFrame left in queue.Reader.ReadAllAsync(CancellationToken.None))
            {
                left.Dispose();
                Account.FrameDropped("camera-failed");
            }

            throw;
        }

        await capturing;
        if (capture.FailureReason is { } reason)
        {
            throw new CameraSourceException(reason);
        }
    }

    /// <summary>Opens the source again after it was lost, or to loop a file; logged by the capture loop.</summary>
    private IFrameSource OpenAgain() => FrameSourceFactory.Open(ParseSource(), options);

    private async Task ProcessAsync(
        CapturedFrame frame,
        FilterChain filters,
        bool live,
        CancellationToken cancellationToken)
    {
        ExtractedFeatures? features;
        byte[]? original;
        try
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
            features = extractor.Extract(frame.Image);
            Account.EncodeTimed(Stopwatch.GetElapsedTime(started));
            original = features is not null && options.Output.WriteSideBySide
                ? ImageCodec.Encode(frame.Image, ImageEncoding.Jpeg, 90)
                : null;
        }
        catch (Exception exception) when (exception is OpenCVException or InvalidOperationException)
        {
            Account.FrameDropped("processing-failed");
            EdgeLog.ProcessingFailed(logger, camera.Id, frame.Sequence, exception.Message);
            return;
        }

        if (features is null)
        {
            string size = $"{frame.Image.Width}x{frame.Image.Height}";
            string detail = $"{size} is smaller than the scale factor {extractor.ScaleFactor}";
            Drop(frame, "too-small", detail);
            return;
        }

        FrameFeatures message = CreateMessage(frame, features);
        int messageBytes = message.CalculateSize();
        if (messageBytes > options.MaxMessageBytes)
        {
            string detail =
                $"the feature message has {messageBytes} bytes, over the limit of {options.MaxMessageBytes} " +
                "(Edge:MaxMessageBytes)";
            Drop(frame, "too-large", detail);
            return;
        }

        if (!await TryTakeSlotAsync(frame, live, cancellationToken))
        {
            return;
        }

        var pending = new PendingFrame(CorrelationIds.Create(), Account, frame.Sequence, frame.CaptureTimestamp, original, window)
        {
            Features = message,
        };
        inFlight.Add(pending);
        Account.FrameSent(features.Payload.Length);
        await sink.PublishAsync(pending, message, cancellationToken);
    }

    /// <summary>Takes an in-flight slot, dropping the frame when a live camera has none free or the edge stops.</summary>
    private async Task<bool> TryTakeSlotAsync(CapturedFrame frame, bool live, CancellationToken cancellationToken)
    {
        try
        {
            if (await window.WaitAsync(live ? TimeSpan.Zero : Timeout.InfiniteTimeSpan, cancellationToken))
            {
                return true;
            }

            string detail = $"{options.MaxInFlightPerCamera} frames are waiting for results (Edge:MaxInFlightPerCamera)";
            Drop(frame, "in-flight-limit", detail);
            return false;
        }
        catch (OperationCanceledException)
        {
            Account.FrameDropped(StopReason);
            return false;
        }
    }

    private FrameFeatures CreateMessage(CapturedFrame frame, ExtractedFeatures features) => new()
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
        Model = model,
        MediaTimeUs = (ulong)Math.Max(0, frame.MediaTime.Ticks / TimeSpan.TicksPerMicrosecond),
    };

    private void Drop(CapturedFrame frame, string reason, string detail)
    {
        Account.FrameDropped(reason);
        if (throttle.TryAcquire($"dropped/{camera.Id}/{reason}", out long suppressed))
        {
            EdgeLog.FrameDropped(logger, camera.Id, frame.Sequence, reason, detail, suppressed);
        }
    }

    private void OnCaptureQueueOverflow(CapturedFrame dropped)
    {
        string detail = $"the capture queue of {options.CaptureQueueCapacity} frames is full (Edge:CaptureQueueCapacity)";
        Drop(dropped, "capture-queue-full", detail);
        dropped.Dispose();
    }
}
