using System.Diagnostics;
using System.Threading.Channels;
using GanStream.Edge.Accounting;
using GanStream.Pipeline.Logging;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace GanStream.Edge.Capture;

/// <summary>
/// Reads one camera's frames into its capture queue; runs on a dedicated thread. Every frame read is counted, checked
/// against the frame limits and converted to 8-bit BGR before it is queued. A live source that ends, fails or stalls
/// is opened again after an exponential backoff. A watchdog abandons any read or open that has not returned after
/// <see cref="CaptureOptions.ReadStallTimeout"/>: the call keeps its thread, and the source is disposed when the call
/// returns, because an OpenCV capture must not be released while another thread reads it.
/// </summary>
internal sealed class CaptureLoop
{
    private readonly CameraOptions camera;
    private readonly EdgeOptions options;
    private readonly CameraAccount account;
    private readonly Func<IFrameSource> openSource;
    private readonly ILogger logger;
    private readonly LogThrottle throttle;
    private readonly ReconnectBackoff backoff;
    private readonly Stopwatch liveClock = Stopwatch.StartNew();
    private readonly Stopwatch paceClock = new();
    private ulong sequence;
    private long framesThisPass;
    private TimeSpan passOffset;
    private TimeSpan lastMediaTime;
    private TimeSpan? firstMediaTime;

    public CaptureLoop(
        CameraOptions camera,
        EdgeOptions options,
        CameraAccount account,
        Func<IFrameSource> openSource,
        LogThrottle throttle,
        ILogger logger)
    {
        this.camera = camera;
        this.options = options;
        this.account = account;
        this.openSource = openSource;
        this.throttle = throttle;
        this.logger = logger;
        backoff = new ReconnectBackoff(options.Capture.ReconnectInitialDelay, options.Capture.ReconnectMaxDelay);
    }

    /// <summary>Why capture ended early, for example a live source given up; null when it ended normally.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Reads until the source ends, <see cref="CameraOptions.MaxFrames"/> is reached, or cancellation.</summary>
    /// <param name="source">The opened source, or null to open it (with backoff) before the first read.</param>
    /// <param name="queue">Capture queue; completed when this method returns.</param>
    public void Run(IFrameSource? source, ChannelWriter<CapturedFrame> queue, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested && !ReachedMaxFrames())
            {
                source ??= Reopen(cancellationToken);
                if (source is null)
                {
                    break;
                }

                long readStarted = Stopwatch.GetTimestamp();
                SourceRead read = ReadWithWatchdog(source, cancellationToken);
                if (read.Status == SourceReadStatus.Frame)
                {
                    account.CaptureTimed(Stopwatch.GetElapsedTime(readStarted));
                }

                if (read.Status == SourceReadStatus.Stalled)
                {
                    // The watchdog owns the abandoned source now.
                    IFrameSource abandoned = source;
                    source = null;
                    if (cancellationToken.IsCancellationRequested || !OnStalled(abandoned))
                    {
                        break;
                    }

                    continue;
                }

                if (!Handle(ref source, read, queue, cancellationToken))
                {
                    break;
                }
            }

            if (FailureReason is null && !cancellationToken.IsCancellationRequested)
            {
                EdgeLog.CameraEnded(logger, camera.Id, DisplayName(source), (long)sequence);
            }
        }
        finally
        {
            source?.Dispose();
            queue.TryComplete();
        }
    }

    /// <summary>Acts on one read; returns false when capture ends.</summary>
    private bool Handle(
        ref IFrameSource? source,
        SourceRead read,
        ChannelWriter<CapturedFrame> queue,
        CancellationToken cancellationToken)
    {
        switch (read.Status)
        {
            case SourceReadStatus.Frame:
                backoff.Reset();
                framesThisPass++;
                return Accept(source!, read.Image!, queue, cancellationToken);

            case SourceReadStatus.Rejected:
                ulong rejected = sequence++;
                account.FrameRead();
                account.FrameDropped(read.Reason);
                LogDropped(rejected, read.Reason, read.Detail);
                return true;

            default:
                source = OnSourceStopped(source!, read, out bool keepReading);
                return keepReading;
        }
    }

    private bool Accept(
        IFrameSource source,
        Mat raw,
        ChannelWriter<CapturedFrame> queue,
        CancellationToken cancellationToken)
    {
        ulong frameSequence = sequence++;
        account.FrameRead();
        TimeSpan mediaTime = source.Spec.IsLive ? liveClock.Elapsed : passOffset + source.Position;
        lastMediaTime = mediaTime;
        if (camera.RealTime && !source.Spec.IsLive)
        {
            WaitUntil(mediaTime, cancellationToken);
        }

        if (FrameChecks.FindProblem(raw, options.Capture) is { } problem)
        {
            raw.Dispose();
            account.FrameDropped(problem.Reason);
            LogDropped(frameSequence, problem.Reason, problem.Detail);
            return true;
        }

        Mat bgr = Normalize(raw, frameSequence);
        var frame = new CapturedFrame(camera.Id, frameSequence, DateTimeOffset.UtcNow, mediaTime, bgr);
        if (!Enqueue(queue, frame, cancellationToken))
        {
            frame.Dispose();
            account.FrameDropped("shutdown");
            return false;
        }

        return true;
    }

    private Mat Normalize(Mat raw, ulong frameSequence)
    {
        if (FrameNormalizer.IsBgr8(raw))
        {
            return raw;
        }

        string format = FrameNormalizer.Describe(raw);
        using (raw)
        {
            Mat bgr = FrameNormalizer.ToBgr8(raw);
            EdgeMetrics.FramesNormalized.WithLabels(camera.Id, format).Inc();
            if (throttle.TryAcquire($"normalized/{camera.Id}/{format}", out long suppressed))
            {
                EdgeLog.FrameNormalized(logger, camera.Id, frameSequence, format, suppressed);
            }

            return bgr;
        }
    }

    /// <summary>Handles a source that ended or failed; returns the source to read next, or null to reopen one.</summary>
    private IFrameSource? OnSourceStopped(IFrameSource source, SourceRead read, out bool keepReading)
    {
        keepReading = true;
        long last = (long)sequence - 1;
        if (source.Spec.IsLive)
        {
            string kind = read.Status == SourceReadStatus.Failed ? "read-failed" : "lost";
            EdgeMetrics.SourceErrors.WithLabels(camera.Id, kind).Inc();
            EdgeLog.SourceLost(logger, camera.Id, source.Spec.DisplayName, last, kind, Describe(read));
            account.SetSourceState(CameraSourceState.Reconnecting);
            source.Dispose();
            return null;
        }

        if (read.Status == SourceReadStatus.Failed)
        {
            EdgeMetrics.SourceErrors.WithLabels(camera.Id, "read-failed").Inc();
            EdgeLog.SourceReadFailed(logger, camera.Id, source.Spec.DisplayName, last, read.Detail);
        }
        else if (source.DeclaredFrameCount is { } declared && framesThisPass < declared)
        {
            // NOTE: OpenCV reads the frame count from the container, and for some formats it is an estimate. A file
            // that ends a frame or two early may then be reported here although nothing is missing.
            EdgeMetrics.SourceErrors.WithLabels(camera.Id, "truncated").Inc();
            EdgeLog.SourceTruncated(logger, camera.Id, source.Spec.DisplayName, last, framesThisPass, declared);
        }

        if (!camera.Loop || framesThisPass == 0)
        {
            keepReading = false;
            return source;
        }

        // A looped file starts again; its timeline continues where the last pass ended, so filters see time advance.
        EdgeLog.SourceLooped(logger, camera.Id, source.Spec.DisplayName);
        source.Dispose();
        passOffset = lastMediaTime + FrameInterval(source);
        framesThisPass = 0;
        IFrameSource? reopened = OpenWithWatchdog(out string? error, CancellationToken.None);
        if (reopened is null)
        {
            FailureReason = $"could not open the file again to loop: {error}";
            keepReading = false;
        }

        return reopened;
    }

    /// <summary>Handles a stalled read; returns false when capture ends.</summary>
    private bool OnStalled(IFrameSource abandoned)
    {
        EdgeMetrics.SourceErrors.WithLabels(camera.Id, "stalled").Inc();
        EdgeLog.SourceStalled(
            logger,
            camera.Id,
            "a read",
            abandoned.Spec.DisplayName,
            options.Capture.ReadStallTimeout.TotalSeconds);

        account.SetSourceState(CameraSourceState.Reconnecting);
        if (!abandoned.Spec.IsLive)
        {
            double seconds = options.Capture.ReadStallTimeout.TotalSeconds;
            FailureReason = $"a read of the file did not return within {seconds:F0} s";
            return false;
        }

        return true;
    }

    /// <summary>Opens the source again after the backoff; null when cancelled or given up.</summary>
    private IFrameSource? Reopen(CancellationToken cancellationToken)
    {
        int maxAttempts = options.Capture.MaxReconnectAttempts;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (maxAttempts > 0 && backoff.Attempts >= maxAttempts)
            {
                FailureReason = $"gave up after {backoff.Attempts} failed attempts to reopen the source";
                EdgeLog.ReconnectAbandoned(logger, camera.Id, backoff.Attempts, camera.Source);
                return null;
            }

            TimeSpan delay = backoff.NextDelay();
            EdgeLog.Reconnecting(logger, camera.Id, delay.TotalSeconds, backoff.Attempts);
            if (cancellationToken.WaitHandle.WaitOne(delay))
            {
                return null;
            }

            IFrameSource? source = OpenWithWatchdog(out string? error, cancellationToken);
            if (source is not null)
            {
                account.SourceReconnected();
                account.SetSourceState(CameraSourceState.Open);
                EdgeLog.Reconnected(
                    logger,
                    camera.Id,
                    source.Spec.DisplayName,
                    backoff.Attempts,
                    source.Width,
                    source.Height,
                    source.BackendName);
                return source;
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                EdgeMetrics.SourceErrors.WithLabels(camera.Id, "open-failed").Inc();
                EdgeLog.ReconnectFailed(logger, camera.Id, backoff.Attempts, error ?? "unknown error");
            }
        }

        return null;
    }

    private IFrameSource? OpenWithWatchdog(out string? error, CancellationToken cancellationToken)
    {
        error = null;
        Task<IFrameSource> open = Task.Run(openSource, CancellationToken.None);
        TimeSpan limit = options.SourceOpenTimeout + options.Capture.ReadStallTimeout;
        try
        {
            if (open.Wait(limit, cancellationToken))
            {
                return open.Result;
            }

            EdgeMetrics.SourceErrors.WithLabels(camera.Id, "stalled").Inc();
            EdgeLog.SourceStalled(logger, camera.Id, "opening", camera.Source, limit.TotalSeconds);
            error = $"opening did not return within {limit.TotalSeconds:F0} s";
        }
        catch (OperationCanceledException)
        {
            error = "stopped";
        }
        catch (AggregateException exception) when (exception.InnerException is CameraSourceException or OpenCVException)
        {
            error = exception.InnerException.Message;
            return null;
        }

        _ = open.ContinueWith(
            static task =>
            {
                if (task.IsCompletedSuccessfully)
                {
                    task.Result.Dispose();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return null;
    }

    /// <summary>
    /// Reads one frame on a pool thread and waits for it up to the stall timeout. A read that does not return is
    /// abandoned together with its source, which is disposed, with any frame, once the read returns.
    /// </summary>
    private SourceRead ReadWithWatchdog(IFrameSource source, CancellationToken cancellationToken)
    {
        Task<SourceRead> read = Task.Run(source.Read, CancellationToken.None);
        try
        {
            if (read.Wait(options.Capture.ReadStallTimeout, cancellationToken))
            {
                return read.Result;
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown: the read is abandoned like a stalled one, so that stopping does not wait for a hung source.
        }

        _ = read.ContinueWith(
            task =>
            {
                if (task.IsCompletedSuccessfully)
                {
                    task.Result.Image?.Dispose();
                }

                source.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return SourceRead.Stalled;
    }

    private static bool Enqueue(
        ChannelWriter<CapturedFrame> queue,
        CapturedFrame frame,
        CancellationToken cancellationToken)
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

    private void LogDropped(ulong frameSequence, string reason, string detail)
    {
        if (throttle.TryAcquire($"dropped/{camera.Id}/{reason}", out long suppressed))
        {
            EdgeLog.FrameDropped(logger, camera.Id, frameSequence, reason, detail, suppressed);
        }
    }

    /// <summary>Waits until a file's frame is due, so that it is read at the file's own frame rate.</summary>
    private void WaitUntil(TimeSpan mediaTime, CancellationToken cancellationToken)
    {
        if (firstMediaTime is null)
        {
            firstMediaTime = mediaTime;
            paceClock.Start();
            return;
        }

        TimeSpan wait = mediaTime - firstMediaTime.Value - paceClock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            cancellationToken.WaitHandle.WaitOne(wait);
        }
    }

    private bool ReachedMaxFrames() => camera.MaxFrames > 0 && (long)sequence >= camera.MaxFrames;

    private string DisplayName(IFrameSource? source) => source?.Spec.DisplayName ?? camera.Source;

    private static TimeSpan FrameInterval(IFrameSource source) =>
        TimeSpan.FromSeconds(1 / (source.FramesPerSecond ?? 10));

    private static string Describe(SourceRead read) =>
        read.Status == SourceReadStatus.Ended ? "the stream stopped delivering frames" : read.Detail;
}
