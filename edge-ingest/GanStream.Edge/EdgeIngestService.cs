using System.Collections.Concurrent;
using System.Diagnostics;
using GanStream.Edge.Accounting;
using GanStream.Edge.Cameras;
using GanStream.Edge.Features;
using GanStream.Edge.Output;
using GanStream.Edge.Publishing;
using GanStream.Edge.Replies;
using GanStream.Cloud;
using GanStream.Cloud.InProcess;
using GanStream.Pipeline.Filtering;
using GanStream.Pipeline.Transport;
using GanStream.Schemas;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Logging;
using GanStream.Pipeline.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GanStream.Edge;

/// <summary>
/// The edge ingest service: reads every configured camera, publishes features, listens for results and writes the
/// output. Cameras can be attached and removed while it runs. <see cref="Completion"/> ends when every source has
/// ended and its results are in, or after shutdown; <see cref="CameraSet"/> states when the input counts as ended.
/// </summary>
/// <remarks>
/// Shutdown order, when the host stops the service: stop capture (frames still queued are dropped as
/// <c>shutdown</c>), flush the producer, wait for the results of frames in flight, stop the result listener, then
/// report. Flushing and waiting share <see cref="EdgeOptions.ShutdownTimeout"/>; frames still in flight after it are
/// reported, with those the broker never acknowledged counted apart.
/// </remarks>
public sealed class EdgeIngestService : BackgroundService
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    /// <summary>The edge's filters in cloud-only mode, where the worker filters instead.</summary>
    private static readonly FilterOptions NoFilters = new() { BlurThreshold = 0, DuplicateThreshold = 0, MaxFramesPerSecond = 0 };

    private readonly EdgeOptions options;
    private readonly KafkaOptions kafkaOptions;
    private readonly TopicOptions topics;
    private readonly KafkaBootstrap bootstrap;
    private readonly ModelRepository models;
    private readonly StartGate? startGate;
    private readonly IReadOnlyList<IResultObserver> resultObservers;
    private readonly PipelineMode mode;
    private readonly CloudOptions cloudOptions;
    private readonly LinkOptions link;
    private readonly ILogger<EdgeIngestService> logger;
    private readonly LogThrottle throttle = new(LogInterval);
    private readonly InFlightFrames inFlight = new();
    private readonly TaskCompletionSource<EdgeRunReport> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, string> failedCameras = new(StringComparer.Ordinal);
    private readonly CameraSet cameras;
    private volatile bool interrupted;

    public EdgeIngestService(
        IOptions<EdgeOptions> options,
        IOptions<KafkaOptions> kafkaOptions,
        IOptions<TopicOptions> topics,
        KafkaBootstrap bootstrap,
        ModelRepository models,
        ILogger<EdgeIngestService> logger,
        StartGate? startGate = null,
        IEnumerable<IResultObserver>? resultObservers = null,
        IOptions<PipelineOptions>? pipelineOptions = null,
        IOptions<CloudOptions>? cloudOptions = null,
        IOptions<LinkOptions>? linkOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kafkaOptions);
        ArgumentNullException.ThrowIfNull(topics);

        this.options = options.Value;
        this.kafkaOptions = kafkaOptions.Value;
        this.topics = topics.Value;
        this.bootstrap = bootstrap;
        this.models = models;
        this.logger = logger;
        this.startGate = startGate;
        this.resultObservers = resultObservers?.ToList() ?? [];
        mode = pipelineOptions?.Value.Mode ?? PipelineMode.Hybrid;
        this.cloudOptions = cloudOptions?.Value ?? new CloudOptions();
        link = linkOptions?.Value ?? new LinkOptions();
        cameras = new CameraSet(this.options, inFlight, throttle, logger, failedCameras);
    }

    /// <summary>Completes with the run report when the input has ended, or faults when the edge cannot run.</summary>
    public Task<EdgeRunReport> Completion => completion.Task;

    /// <summary>Accounts of the edge's cameras now, configured and attached, in the order they were started.</summary>
    public IReadOnlyList<CameraAccount> Cameras => cameras.Current;

    /// <summary>True once every configured camera has been started or has failed to open.</summary>
    public bool ConfiguredCamerasStarted => cameras.ConfiguredStarted;

    /// <summary>
    /// Counts of every camera started so far, removed ones last; each camera's snapshot reconciles on its own.
    /// </summary>
    public IReadOnlyList<CameraSnapshot> Snapshot()
    {
        IReadOnlyList<CameraAccount> current = cameras.Current;
        IReadOnlyDictionary<string, long> unacknowledged = inFlight.CountUnacknowledged();
        return cameras.All
            .Select(account => current.Contains(account)
                ? account.Snapshot() with { Unacknowledged = unacknowledged.GetValueOrDefault(account.CameraId) }
                : account.Snapshot())
            .ToList();
    }

    /// <summary>Lists the edge's cameras now with their settings and counts.</summary>
    public IReadOnlyList<CameraInfo> DescribeCameras() => cameras.Describe();

    /// <summary>Attaches a camera to the running edge; see <see cref="CameraSet.AttachAsync"/>.</summary>
    /// <exception cref="CameraRequestException">The camera cannot be attached; the message gives the reason.</exception>
    public Task<CameraInfo> AttachCameraAsync(CameraOptions camera) => cameras.AttachAsync(camera);

    /// <summary>Removes a camera from the running edge; see <see cref="CameraSet.RemoveAsync"/>.</summary>
    /// <exception cref="CameraRequestException">The camera cannot be removed; the message gives the reason.</exception>
    public Task<CameraSnapshot> RemoveCameraAsync(string cameraId, CancellationToken cancellationToken) =>
        cameras.RemoveAsync(cameraId, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        OutputWriterSet? outputs = null;
        try
        {
            options.Validate();
            link.Validate();
            FrameFeatureExtractor extractor = CreateExtractor();
            outputs = new OutputWriterSet(options.Output, logger);
            IReadOnlyList<IResultObserver> observers = [outputs, .. resultObservers];
            EdgeLog.ModeSelected(logger, PipelineOptions.Format(mode), link.Describe());
            if (mode == PipelineMode.EdgeOnly && link.IsEnabled)
            {
                EdgeLog.LinkIgnoredInEdgeOnly(logger, link.Describe());
            }

            if (mode == PipelineMode.EdgeOnly)
            {
                await SynthesizeLocallyAsync(extractor, outputs, observers, clock, stoppingToken);
            }
            else
            {
                await PublishToCloudAsync(extractor, outputs, observers, clock, stoppingToken);
            }

            completion.TrySetResult(CreateReport(outputs, clock.Elapsed));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before any frame was read, for example while waiting for the workers.
            interrupted = true;
            completion.TrySetResult(CreateReport(outputs, clock.Elapsed));
        }
        catch (Exception exception)
        {
            EdgeLog.EdgeFailed(logger, options.EdgeId, exception.Message);
            completion.TrySetException(exception);
            throw;
        }
        finally
        {
            outputs?.Dispose();
        }
    }

    /// <summary>
    /// Runs the result listener on its own thread while <paramref name="work"/> runs, and stops it after, so that
    /// results keep arriving during the shutdown drain and the consumer is never closed while it is polling.
    /// </summary>
    private static async Task ListenWhileAsync(ResultListener listener, Func<Task> work)
    {
        using var listenerStop = new CancellationTokenSource();
        Task listening = Task.Factory.StartNew(
            () => listener.Run(listenerStop.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            await work();
        }
        finally
        {
            await listenerStop.CancelAsync();
            await listening;
        }
    }

    /// <summary>Hybrid and cloud-only modes: features go to the features topic and results come back on the reply topic.</summary>
    private async Task PublishToCloudAsync(
        FrameFeatureExtractor extractor,
        OutputWriterSet outputs,
        IReadOnlyList<IResultObserver> observers,
        Stopwatch clock,
        CancellationToken stoppingToken)
    {
        await TopicProvisioner.EnsureTopicsAsync(bootstrap, kafkaOptions, [topics.Features, topics.Results], logger, stoppingToken);
        using var listener = new ResultListener(
            bootstrap,
            kafkaOptions,
            topics,
            options,
            inFlight,
            observers,
            throttle,
            logger);
        listener.AssignAtEnd();
        await ListenWhileAsync(listener, () => PublishAllAsync(extractor, outputs, listener, observers, clock, stoppingToken));
        listener.ExpireOverdue();
    }

    /// <summary>Edge-only mode: the edge's own generator synthesizes the features, with no broker in the path.</summary>
    private async Task SynthesizeLocallyAsync(
        FrameFeatureExtractor extractor,
        OutputWriterSet outputs,
        IReadOnlyList<IResultObserver> observers,
        Stopwatch clock,
        CancellationToken stoppingToken)
    {
        var matcher = new ResultMatcher(inFlight, observers, throttle, logger);
        using var synthesis = new InProcessSynthesis(cloudOptions, models, matcher.Deliver, logger);
        try
        {
            var route = new FeatureRoute(new LocalSynthesisSink(synthesis, inFlight), options.Filters, options.Features.LocalModel);
            var runtime = new CameraRuntime(extractor, route, outputs, matcher.InvokeAsync, observers);
            await PublishAllAsync(runtime, clock, stoppingToken);
        }
        finally
        {
            await synthesis.DrainAsync();
        }
    }

    private async Task PublishAllAsync(
        FrameFeatureExtractor extractor,
        OutputWriterSet outputs,
        ResultListener listener,
        IReadOnlyList<IResultObserver> observers,
        Stopwatch clock,
        CancellationToken stoppingToken)
    {
        if (startGate is not null)
        {
            await startGate.WaitAsync(stoppingToken);
        }

        // Disposed last: messages still queued in the producer after the flush are lost and stay counted in flight.
        EmulatedLink? uplink = EmulatedLink.CreateUplink(link, TimeProvider.System);
        using var publisher = new FeaturePublisher(bootstrap, kafkaOptions, topics, options, inFlight, throttle, logger, uplink);
        FilterOptions filters = mode == PipelineMode.CloudOnly ? NoFilters : options.Filters;
        var route = new FeatureRoute(publisher, filters, options.Features.Model ?? string.Empty);
        await PublishAllAsync(new CameraRuntime(extractor, route, outputs, listener.InvokeAsync, observers), clock, stoppingToken);
    }

    /// <summary>
    /// Runs every camera until its input ends or the edge stops, then waits for the results of the frames in flight,
    /// or drains them at shutdown.
    /// </summary>
    private async Task PublishAllAsync(CameraRuntime runtime, Stopwatch clock, CancellationToken stoppingToken)
    {
        IFeatureSink publisher = runtime.Route.Sink;
        clock.Restart();
        await cameras.RunAsync(runtime, stoppingToken);

        bool stopping = stoppingToken.IsCancellationRequested;
        if (!stopping)
        {
            publisher.Flush(FlushTimeout);
            EdgeLog.WaitingForResults(logger, options.ResultTimeout.TotalSeconds, inFlight.Count);

            // Frames expire individually after the result timeout, so this ends within that time plus one interval.
            stopping = !await WaitForResultsAsync(options.ResultTimeout + TimeSpan.FromSeconds(2), stoppingToken);
        }

        if (stopping)
        {
            await DrainAtShutdownAsync(publisher);
        }
    }

    private async Task DrainAtShutdownAsync(IFeatureSink publisher)
    {
        interrupted = true;
        EdgeLog.ShutdownCaptureStopped(logger, cameras.Current.Count);
        var budget = Stopwatch.StartNew();
        int unflushed = publisher.Flush(options.ShutdownTimeout);
        EdgeLog.ShutdownFlushed(logger, budget.Elapsed.TotalMilliseconds, unflushed);

        var waited = Stopwatch.StartNew();
        TimeSpan remaining = options.ShutdownTimeout - budget.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await WaitForResultsAsync(remaining, CancellationToken.None);
        }

        long unacknowledged = inFlight.CountUnacknowledged().Values.Sum();
        EdgeLog.ShutdownResultsDrained(logger, waited.Elapsed.TotalMilliseconds, inFlight.Count, unacknowledged);
    }

    /// <summary>
    /// Whole frames as JPEG in cloud-only mode; otherwise frames reduced by the model's scale factor, losslessly (PNG)
    /// in edge-only mode, where nothing crosses a network.
    /// </summary>
    private FrameFeatureExtractor CreateExtractor() => mode switch
    {
        PipelineMode.CloudOnly => new FrameFeatureExtractor(1, ImageEncoding.Jpeg, options.Features.FullFrameQuality),
        PipelineMode.EdgeOnly => new FrameFeatureExtractor(ResolveScaleFactor(options.Features.LocalModel), ImageEncoding.Png, 100),
        _ => new FrameFeatureExtractor(ResolveScaleFactor(options.Features.Model), options.Features.Codec, options.Features.Quality),
    };

    private int ResolveScaleFactor(string? model)
    {
        if (options.Features.ScaleFactor > 0)
        {
            return options.Features.ScaleFactor;
        }

        string directory = models.ResolveDirectory(model);
        return SuperResolutionModel.ReadManifest(directory).ScaleFactor;
    }

    /// <summary>Waits until no frame is in flight, <paramref name="limit"/> passes, or cancellation.</summary>
    /// <returns>False when <paramref name="cancellationToken"/> fired first.</returns>
    private async Task<bool> WaitForResultsAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        try
        {
            while (inFlight.Count > 0 && waited.Elapsed < limit)
            {
                await Task.Delay(DrainPollInterval, cancellationToken);
            }

            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private EdgeRunReport CreateReport(OutputWriterSet? outputs, TimeSpan elapsed) =>
        new(
            Snapshot(),
            outputs?.VideoPaths ?? new Dictionary<string, string>(),
            new Dictionary<string, string>(failedCameras),
            elapsed)
        {
            Interrupted = interrupted,
        };
}
