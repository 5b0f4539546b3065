using System.Collections.Concurrent;
using System.Diagnostics;
using GanStream.Edge.Accounting;
using GanStream.Edge.Capture;
using GanStream.Edge.Publishing;
using GanStream.Edge.Replies;
using GanStream.Pipeline.Logging;
using Microsoft.Extensions.Logging;

namespace GanStream.Edge.Cameras;

/// <summary>
/// The cameras of one edge: the configured ones, started when the edge starts, and those attached or removed while
/// it runs. Thread-safe.
/// </summary>
/// <remarks>
/// When the input ends: the edge's input has ended when the last running camera ends by itself, because its file
/// ended, it reached <c>MaxFrames</c>, its live source was given up, or it failed. From then on no camera can be
/// attached, and the edge drains its results and completes. Removing a camera, or an attach whose source cannot be
/// opened, never ends the input: an edge whose cameras were all removed stays up, idle, until a camera is attached
/// or the edge is stopped. A camera attached while others run keeps the edge running until it ends too.
/// </remarks>
internal sealed class CameraSet
{
    /// <summary>Drop reason of frames settled because their camera was removed.</summary>
    public const string RemovedReason = "camera-removed";

    private static readonly TimeSpan SettlePollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Time for a result the listener already matched to be counted, after the frame left the in-flight set.</summary>
    private static readonly TimeSpan MatchedResultGrace = TimeSpan.FromSeconds(1);

    private readonly EdgeOptions options;
    private readonly InFlightFrames inFlight;
    private readonly LogThrottle throttle;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, string> failedCameras;
    private readonly Lock gate = new();
    private readonly List<CameraEntry> current = [];
    private readonly List<CameraAccount> removed = [];
    private readonly List<Task> tasks = [];
    private readonly TaskCompletionSource inputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CameraRuntime? runtime;
    private CancellationToken stopping;
    private int running;
    private bool accepting;
    private bool configuredStarted;

    public CameraSet(
        EdgeOptions options,
        InFlightFrames inFlight,
        LogThrottle throttle,
        ILogger logger,
        ConcurrentDictionary<string, string> failedCameras)
    {
        this.options = options;
        this.inFlight = inFlight;
        this.throttle = throttle;
        this.logger = logger;
        this.failedCameras = failedCameras;
    }

    /// <summary>True once every configured camera has been started or has failed to open.</summary>
    public bool ConfiguredStarted
    {
        get
        {
            lock (gate)
            {
                return configuredStarted;
            }
        }
    }

    /// <summary>Cameras of the edge now, configured and attached, in the order they were started.</summary>
    public IReadOnlyList<CameraAccount> Current
    {
        get
        {
            lock (gate)
            {
                return current.Select(entry => entry.Pipeline.Account).ToArray();
            }
        }
    }

    /// <summary>Every camera started so far: those of <see cref="Current"/>, then the removed ones.</summary>
    public IReadOnlyList<CameraAccount> All
    {
        get
        {
            lock (gate)
            {
                return [.. current.Select(entry => entry.Pipeline.Account), .. removed];
            }
        }
    }

    /// <summary>Describes the cameras of <see cref="Current"/> with their settings and counts.</summary>
    public IReadOnlyList<CameraInfo> Describe()
    {
        CameraEntry[] entries;
        lock (gate)
        {
            entries = [.. current];
        }

        return entries.Select(entry => entry.Describe()).ToArray();
    }

    /// <summary>
    /// Starts the configured cameras, then waits until the input has ended (see the remarks of the type) or
    /// <paramref name="stoppingToken"/> fires, and then until every camera has stopped and every removal finished.
    /// </summary>
    /// <exception cref="CameraSourceException">No configured camera could be opened.</exception>
    public async Task RunAsync(CameraRuntime cameraRuntime, CancellationToken stoppingToken)
    {
        lock (gate)
        {
            runtime = cameraRuntime;
            stopping = stoppingToken;

            // Start-up counts as one running camera, so that cameras ending before the last one starts cannot end
            // the input early.
            running = 1;
        }

        int started = 0;
        foreach (CameraOptions camera in options.Cameras)
        {
            CameraEntry entry = CreateEntry(camera, attached: false);
            lock (gate)
            {
                current.Add(entry);
            }

            if (Start(entry, recordFailure: true))
            {
                started++;
            }
        }

        if (started == 0)
        {
            string reasons = string.Join("; ", failedCameras.Select(f => $"{f.Key}: {f.Value}"));
            throw new CameraSourceException($"No camera could be opened. {reasons}");
        }

        lock (gate)
        {
            configuredStarted = true;
            accepting = true;
        }

        OnCameraStopped(endedByItself: true);
        try
        {
            await inputEnded.Task.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The edge stops: the cameras' tokens are linked to this one, so their capture stops too.
        }

        Task[] pending;
        lock (gate)
        {
            accepting = false;
            pending = [.. tasks];
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Attaches a camera to the running edge and starts reading it.</summary>
    /// <returns>The camera as <c>GET /cameras</c> lists it.</returns>
    /// <exception cref="CameraRequestException">
    /// The settings are invalid, the id is taken, the source cannot be opened, or the edge is not running.
    /// </exception>
    public async Task<CameraInfo> AttachAsync(CameraOptions camera)
    {
        ArgumentNullException.ThrowIfNull(camera);
        try
        {
            camera.Validate();
        }
        catch (ArgumentException exception)
        {
            throw new CameraRequestException(CameraRequestError.Invalid, exception.Message);
        }

        CameraEntry entry;
        lock (gate)
        {
            ThrowUnlessAccepting("attached");
            if (current.Any(e => e.Id == camera.Id))
            {
                throw new CameraRequestException(
                    CameraRequestError.Conflict,
                    $"A camera with id '{camera.Id}' is already attached; camera ids must be unique. Remove it " +
                    $"first with DELETE /cameras/{camera.Id}, or choose another id.");
            }

            // Counted as running while its source opens, so that the input cannot end in the meantime.
            running++;
            entry = CreateEntry(camera, attached: true);
            current.Add(entry);
        }

        // Opening a network stream can block for up to Edge:SourceOpenTimeout.
        bool opened = await Task.Run(() => Start(entry, recordFailure: false));
        if (!opened)
        {
            string reason = entry.OpenFailure ?? "unknown reason";
            Forget(entry);
            OnCameraStopped(endedByItself: false);
            throw new CameraRequestException(
                CameraRequestError.Invalid,
                $"Camera '{camera.Id}' could not be opened: {reason}");
        }

        CameraLog.CameraAttached(logger, camera.Id, entry.SourceDisplayName);
        return entry.Describe();
    }

    /// <summary>
    /// Removes a camera: stops its capture, gives its frames in flight until <see cref="EdgeOptions.ShutdownTimeout"/>
    /// to come back and counts the rest as dropped, then deletes its Prometheus series and notifies the result
    /// observers. Its counts stay in the run report. The removal goes on if <paramref name="cancellationToken"/>
    /// fires; only the wait for it ends.
    /// </summary>
    /// <returns>The camera's final counts, which reconcile.</returns>
    /// <exception cref="CameraRequestException">No camera has that id, or the edge is not running.</exception>
    public async Task<CameraSnapshot> RemoveAsync(string cameraId, CancellationToken cancellationToken)
    {
        Task<CameraSnapshot> removal;
        lock (gate)
        {
            CameraEntry entry = current.FirstOrDefault(e => e.Id == cameraId) ?? throw new CameraRequestException(
                CameraRequestError.NotFound,
                $"No camera with id '{cameraId}' is attached; GET /cameras lists the cameras.");
            if (entry.Removing)
            {
                throw new CameraRequestException(
                    CameraRequestError.Conflict,
                    $"Camera '{cameraId}' is already being removed.");
            }

            ThrowUnlessAccepting("removed");
            entry.Removing = true;
            removal = Task.Run(() => RemoveCoreAsync(entry, runtime!), CancellationToken.None);
            tasks.Add(removal);
        }

        return await removal.WaitAsync(cancellationToken);
    }

    private void ThrowUnlessAccepting(string change)
    {
        if (accepting)
        {
            return;
        }

        string reason = configuredStarted || stopping.IsCancellationRequested
            ? "the edge's input has ended or the edge is stopping, so its cameras are settled by its shutdown"
            : "the edge is still starting its configured cameras; retry when /health/ready returns 200";
        throw new CameraRequestException(CameraRequestError.Conflict, $"No camera can be {change} now: {reason}.");
    }

    private CameraEntry CreateEntry(CameraOptions camera, bool attached)
    {
        CameraRuntime shared = runtime ?? throw new InvalidOperationException("The cameras are not running.");
        var pipeline = new CameraPipeline(
            camera,
            options,
            shared.Extractor,
            shared.Route,
            inFlight,
            throttle,
            logger);
        return new CameraEntry(camera, pipeline, attached);
    }

    /// <summary>Opens a camera of <see cref="current"/> and starts its run; false when it is not to run.</summary>
    private bool Start(CameraEntry entry, bool recordFailure)
    {
        if (!TryOpen(entry, recordFailure, out IFrameSource? source, out bool live))
        {
            return false;
        }

        CameraRuntime shared = runtime!;
        shared.Outputs.SetFramesPerSecond(entry.Id, OutputFramesPerSecond(source));
        lock (gate)
        {
            if (entry.Attached && !accepting)
            {
                // The input ended or the edge began to stop while the source opened: the run would not be awaited.
                source?.Dispose();
                entry.OpenFailure = "the edge's input ended or the edge began to stop while the source opened";
                return false;
            }

            entry.Stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            if (!entry.Attached)
            {
                running++;
            }

            // A camera attached through the API must not run inside the request's logging scope and trace.
            using (ExecutionContext.SuppressFlow())
            {
                entry.Run = Task.Run(() => RunCameraAsync(entry, source, live), CancellationToken.None);
            }

            tasks.Add(entry.Run);
        }

        return true;
    }

    /// <summary>
    /// Opens a camera's source. A file that cannot be opened fails its camera. A live source that cannot be opened
    /// yet is started without one, and its capture loop keeps trying with backoff.
    /// </summary>
    /// <param name="recordFailure">Records a file that cannot be opened as a failed camera of the run report.</param>
    /// <returns>True when the camera is to run.</returns>
    private bool TryOpen(CameraEntry entry, bool recordFailure, out IFrameSource? source, out bool live)
    {
        CameraPipeline pipeline = entry.Pipeline;
        source = null;
        live = false;
        try
        {
            live = pipeline.ParseSource().IsLive;
            source = pipeline.Open();
            pipeline.Account.SetSourceState(CameraSourceState.Open);
            return true;
        }
        catch (CameraSourceException exception)
        {
            EdgeMetrics.SourceErrors.WithLabels(pipeline.CameraId, "open-failed").Inc();
            EdgeLog.CameraOpenFailed(logger, pipeline.CameraId, exception.Message);
            if (!live)
            {
                entry.OpenFailure = exception.Message;
                if (recordFailure)
                {
                    failedCameras[pipeline.CameraId] = exception.Message;
                }
            }

            pipeline.Account.SetSourceState(live ? CameraSourceState.Reconnecting : CameraSourceState.Failed);

            return live;
        }
    }

    private async Task RunCameraAsync(CameraEntry entry, IFrameSource? source, bool live)
    {
        CameraPipeline pipeline = entry.Pipeline;
        try
        {
            await pipeline.RunAsync(source, live, entry.Stop!.Token);
            pipeline.Account.SetSourceState(CameraSourceState.Ended);
        }
        catch (OperationCanceledException) when (entry.Stop!.IsCancellationRequested)
        {
            pipeline.Account.SetSourceState(CameraSourceState.Ended);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failedCameras[pipeline.CameraId] = exception.Message;
            pipeline.Account.SetSourceState(CameraSourceState.Failed);
            EdgeLog.CameraFailed(logger, pipeline.CameraId, exception.Message);
        }
        finally
        {
            OnCameraStopped(endedByItself: !entry.Removing && !stopping.IsCancellationRequested);
        }
    }

    /// <summary>Counts a camera that stopped, and ends the input when it was the last one and ended by itself.</summary>
    private void OnCameraStopped(bool endedByItself)
    {
        lock (gate)
        {
            running--;
            if (!endedByItself || running > 0 || inputEnded.Task.IsCompleted)
            {
                return;
            }

            accepting = false;
        }

        CameraLog.InputEnded(logger);
        inputEnded.TrySetResult();
    }

    private async Task<CameraSnapshot> RemoveCoreAsync(CameraEntry entry, CameraRuntime shared)
    {
        var clock = Stopwatch.StartNew();
        CameraAccount account = entry.Pipeline.Account;
        entry.Pipeline.StopReason = RemovedReason;
        if (entry.Stop is not null)
        {
            await entry.Stop.CancelAsync();
            await entry.Run!;
        }

        // Capture has stopped and its queue is settled. Frames in flight may still come back.
        await WaitForInFlightAsync(account, options.ShutdownTimeout, clock);
        IReadOnlyList<PendingFrame> left = inFlight.RemoveCamera(entry.Id);
        foreach (PendingFrame frame in left)
        {
            frame.Account.SentFrameDropped(RemovedReason);
        }

        if (left.Count > 0)
        {
            CameraLog.InFlightDroppedAtRemoval(logger, entry.Id, left.Count, options.ShutdownTimeout.TotalSeconds);
        }

        await WaitForInFlightAsync(account, options.ShutdownTimeout + MatchedResultGrace, clock);

        // On the listener thread, after any result of this camera it was handling, so nothing adds series or viewer
        // entries of this camera afterwards.
        await shared.AfterResults(() =>
        {
            account.SetSourceState(CameraSourceState.Removed);
            account.RemoveMetrics();
            foreach (IResultObserver observer in shared.Observers)
            {
                observer.OnCameraRemoved(entry.Id);
            }
        });

        lock (gate)
        {
            current.Remove(entry);
            removed.Add(account);
        }

        entry.Stop?.Dispose();
        CameraSnapshot snapshot = account.Snapshot();
        CameraLog.CameraRemoved(
            logger,
            entry.Id,
            clock.Elapsed.TotalMilliseconds,
            snapshot.Read,
            snapshot.Synthesized,
            snapshot.DroppedTotal,
            snapshot.Expired);
        return snapshot;
    }

    private static async Task WaitForInFlightAsync(CameraAccount account, TimeSpan limit, Stopwatch clock)
    {
        while (account.InFlight > 0 && clock.Elapsed < limit)
        {
            await Task.Delay(SettlePollInterval, CancellationToken.None);
        }
    }

    /// <summary>Removes a camera that never ran, with its Prometheus series.</summary>
    private void Forget(CameraEntry entry)
    {
        lock (gate)
        {
            current.Remove(entry);
        }

        entry.Pipeline.Account.RemoveMetrics();
    }

    private double OutputFramesPerSecond(IFrameSource? source)
    {
        double sourceRate = source?.FramesPerSecond ?? 10;
        double limit = options.Filters.MaxFramesPerSecond;
        return limit > 0 ? Math.Min(sourceRate, limit) : sourceRate;
    }

    /// <summary>One camera of the set with its pipeline and, once started, its run.</summary>
    private sealed class CameraEntry(CameraOptions camera, CameraPipeline pipeline, bool attached)
    {
        public string Id => camera.Id;

        public CameraPipeline Pipeline { get; } = pipeline;

        public bool Attached { get; } = attached;

        /// <summary>Cancels the camera's capture alone; linked to the edge's stopping token.</summary>
        public CancellationTokenSource? Stop { get; set; }

        public Task? Run { get; set; }

        /// <summary>Set under the set's lock when a removal begins.</summary>
        public bool Removing { get; set; }

        public string? OpenFailure { get; set; }

        public string SourceDisplayName
        {
            get
            {
                try
                {
                    return Pipeline.ParseSource().DisplayName;
                }
                catch (CameraSourceException)
                {
                    return "(invalid source)";
                }
            }
        }

        public CameraInfo Describe() => new(
            camera.Id,
            SourceDisplayName,
            Pipeline.Account.SourceState,
            Attached,
            Removing,
            camera.RealTime,
            camera.Loop,
            camera.MaxFrames,
            Pipeline.Account.Snapshot());
    }
}
