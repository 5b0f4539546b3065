using System.Collections.Concurrent;
using System.Diagnostics;
using GanStream.Edge.Accounting;
using GanStream.Edge.Capture;
using GanStream.Edge.Features;
using GanStream.Edge.Output;
using GanStream.Edge.Publishing;
using GanStream.Edge.Replies;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GanStream.Edge;

/// <summary>
/// The edge ingest service: reads every configured camera, publishes features, listens for results and writes the
/// output. <see cref="Completion"/> ends when every source has ended and its results are in, or at shutdown.
/// </summary>
public sealed class EdgeIngestService : BackgroundService
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly EdgeOptions options;
    private readonly KafkaOptions kafkaOptions;
    private readonly TopicOptions topics;
    private readonly KafkaBootstrap bootstrap;
    private readonly ModelRepository models;
    private readonly StartGate? startGate;
    private readonly IReadOnlyList<IResultObserver> resultObservers;
    private readonly ILogger<EdgeIngestService> logger;
    private readonly InFlightFrames inFlight = new();
    private readonly TaskCompletionSource<EdgeRunReport> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<CameraPipeline> cameras = new();
    private readonly Dictionary<string, string> failedCameras = new(StringComparer.Ordinal);

    public EdgeIngestService(
        IOptions<EdgeOptions> options,
        IOptions<KafkaOptions> kafkaOptions,
        IOptions<TopicOptions> topics,
        KafkaBootstrap bootstrap,
        ModelRepository models,
        ILogger<EdgeIngestService> logger,
        StartGate? startGate = null,
        IEnumerable<IResultObserver>? resultObservers = null)
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
    }

    /// <summary>Completes with the run report when the input has ended, or faults when the edge cannot run.</summary>
    public Task<EdgeRunReport> Completion => completion.Task;

    /// <summary>Accounts of the cameras this edge has started so far, in the order they were configured.</summary>
    public IReadOnlyList<CameraAccount> Cameras => cameras.Select(c => c.Account).ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        OutputWriterSet? outputs = null;
        try
        {
            options.Validate();
            var extractor = new FrameFeatureExtractor(ResolveScaleFactor(), options.Features.Codec, options.Features.Quality);
            outputs = new OutputWriterSet(options.Output, logger);
            await TopicProvisioner.EnsureTopicsAsync(bootstrap, kafkaOptions, [topics.Features, topics.Results], logger, stoppingToken);

            using var listener = new ResultListener(bootstrap, kafkaOptions, topics, options, inFlight, [outputs, .. resultObservers], logger);
            listener.AssignAtEnd();
            await ListenWhileAsync(listener, () => PublishAllAsync(extractor, outputs, clock, stoppingToken), stoppingToken);
            listener.ExpireOverdue();
            completion.TrySetResult(CreateReport(outputs, clock.Elapsed));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
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
    /// Runs the result listener on its own thread while <paramref name="work"/> runs, and stops it before returning,
    /// so that the listener's consumer is never closed while it is still polling.
    /// </summary>
    private static async Task ListenWhileAsync(ResultListener listener, Func<Task> work, CancellationToken stoppingToken)
    {
        using var listenerStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
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

    private async Task PublishAllAsync(
        FrameFeatureExtractor extractor,
        OutputWriterSet outputs,
        Stopwatch clock,
        CancellationToken stoppingToken)
    {
        if (startGate is not null)
        {
            await startGate.WaitAsync(stoppingToken);
        }

        using var publisher = new FeaturePublisher(bootstrap, kafkaOptions, topics, inFlight, logger);
        clock.Restart();
        await RunCamerasAsync(extractor, publisher, outputs, stoppingToken);
        publisher.Flush(FlushTimeout);
        await WaitForResultsAsync(stoppingToken);
    }

    private int ResolveScaleFactor()
    {
        if (options.Features.ScaleFactor > 0)
        {
            return options.Features.ScaleFactor;
        }

        string directory = models.ResolveDirectory(options.Features.Model);
        return SuperResolutionModel.ReadManifest(directory).ScaleFactor;
    }

    private async Task RunCamerasAsync(
        FrameFeatureExtractor extractor,
        FeaturePublisher publisher,
        OutputWriterSet outputs,
        CancellationToken cancellationToken)
    {
        var runs = new List<Task>();
        foreach (CameraOptions camera in options.Cameras)
        {
            var pipeline = new CameraPipeline(camera, options, extractor, publisher, inFlight, logger);
            cameras.Enqueue(pipeline);
            CameraSource source;
            try
            {
                source = pipeline.Open();
            }
            catch (CameraSourceException exception)
            {
                failedCameras[camera.Id] = exception.Message;
                pipeline.Account.SetSourceState(CameraSourceState.Failed);
                EdgeLog.CameraOpenFailed(logger, camera.Id, exception.Message);
                continue;
            }

            pipeline.Account.SetSourceState(CameraSourceState.Open);
            outputs.SetFramesPerSecond(camera.Id, OutputFramesPerSecond(source));
            runs.Add(RunCameraAsync(pipeline, source, cancellationToken));
        }

        if (runs.Count == 0)
        {
            string reasons = string.Join("; ", failedCameras.Select(f => $"{f.Key}: {f.Value}"));
            throw new CameraSourceException($"No camera could be opened. {reasons}");
        }

        await Task.WhenAll(runs);
    }

    private async Task RunCameraAsync(CameraPipeline pipeline, CameraSource source, CancellationToken cancellationToken)
    {
        using (source)
        {
            try
            {
                await pipeline.RunAsync(source, cancellationToken);
                pipeline.Account.SetSourceState(CameraSourceState.Ended);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failedCameras[pipeline.CameraId] = exception.Message;
                pipeline.Account.SetSourceState(CameraSourceState.Failed);
                EdgeLog.CameraFailed(logger, pipeline.CameraId, exception.Message);
            }
        }
    }

    private double OutputFramesPerSecond(CameraSource source)
    {
        double sourceRate = source.FramesPerSecond ?? 10;
        double limit = options.Filters.MaxFramesPerSecond;
        return limit > 0 ? Math.Min(sourceRate, limit) : sourceRate;
    }

    private async Task WaitForResultsAsync(CancellationToken cancellationToken)
    {
        EdgeLog.WaitingForResults(logger, options.ResultTimeout.TotalSeconds, inFlight.Count);
        var waited = Stopwatch.StartNew();

        // Frames expire individually after the result timeout, so this loop ends within that time plus one interval.
        while (inFlight.Count > 0 && waited.Elapsed < options.ResultTimeout + TimeSpan.FromSeconds(2))
        {
            await Task.Delay(DrainPollInterval, cancellationToken);
        }
    }

    private EdgeRunReport CreateReport(OutputWriterSet? outputs, TimeSpan elapsed) =>
        new(
            cameras.Select(c => c.Account.Snapshot()).ToList(),
            outputs?.VideoPaths ?? new Dictionary<string, string>(),
            new Dictionary<string, string>(failedCameras),
            elapsed);
}
