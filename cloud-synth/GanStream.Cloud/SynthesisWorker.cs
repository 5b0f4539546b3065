using System.Diagnostics;
using GanStream.Cloud.Consuming;
using GanStream.Cloud.Inference;
using GanStream.Cloud.Replying;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Logging;
using GanStream.Pipeline.Models;
using GanStream.Pipeline.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GanStream.Cloud;

/// <summary>
/// A synthesis worker: a member of the consumer group on the features topic that decodes requests, batches them onto
/// the model, encodes the results and sends them to their reply topics. The stages run concurrently and are joined
/// by bounded queues: poll, decode, batch and infer, encode and reply.
/// </summary>
/// <remarks>
/// Shutdown order: stop polling, drain the decode, inference and encode stages (bounded by
/// <see cref="CloudOptions.DrainTimeout"/>), flush the producer, store and commit the finished offsets, close the
/// consumer, dispose the clients.
/// </remarks>
public sealed class SynthesisWorker : BackgroundService
{
    private readonly CloudOptions options;
    private readonly KafkaOptions kafkaOptions;
    private readonly TopicOptions topics;
    private readonly KafkaBootstrap bootstrap;
    private readonly ModelRepository models;
    private readonly StartGate? assignedGate;
    private readonly ILogger<SynthesisWorker> logger;
    private readonly OffsetTracker offsets = new();
    private readonly LogThrottle throttle = new(TimeSpan.FromSeconds(10));
    private readonly LinkOptions link;
    private volatile ReadyModelInfo? readyModel;

    public SynthesisWorker(
        IOptions<CloudOptions> options,
        IOptions<KafkaOptions> kafkaOptions,
        IOptions<TopicOptions> topics,
        KafkaBootstrap bootstrap,
        ModelRepository models,
        ILogger<SynthesisWorker> logger,
        StartGate? assignedGate = null,
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
        this.assignedGate = assignedGate;
        link = linkOptions?.Value ?? new LinkOptions();
    }

    /// <summary>
    /// The default model once it is loaded (and warmed up, unless <c>Inference:WarmUp</c> is off) and the consumer
    /// has subscribed; null before that and after the worker stopped.
    /// </summary>
    public ReadyModelInfo? ReadyModel => readyModel;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            CloudLog.WorkerFailed(logger, options.WorkerId, exception.Message);
            throw;
        }
        finally
        {
            readyModel = null;
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        options.Validate();
        link.Validate();
        ReadyModelInfo defaultModel = LoadDefaultModel();
        await TopicProvisioner.EnsureTopicsAsync(bootstrap, kafkaOptions, [topics.Features, topics.DeadLetter], logger, stoppingToken);

        // Disposal runs in reverse: the consumer is closed (by CommitAndClose) before the producer is disposed.
        EmulatedLink? downlink = EmulatedLink.CreateDownlink(link, TimeProvider.System);
        using var publisher = new ReplyPublisher(bootstrap, kafkaOptions, topics, options, offsets, throttle, logger, downlink);
        using var consumer = new FeatureConsumer(
            bootstrap,
            kafkaOptions,
            options,
            offsets,
            logger,
            throttle,
            assignedGate);
        consumer.Subscribe(topics.Features);
        CloudLog.WorkerStarted(logger, options.WorkerId, options.GroupId, topics.Features, defaultModel.Id, defaultModel.ExecutionProvider);
        CloudMetrics.InitializeDeadLetters();
        CloudMetrics.ModelInfo.WithLabels(defaultModel.Name, defaultModel.Version, defaultModel.ExecutionProvider).Set(1);
        readyModel = defaultModel;
        using var reloadStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task reloading = models.RunReloadLoopAsync(reloadStop.Token);

        using var stages = new SynthesisStages(options, models, publisher, logger);
        stages.Start();

        // Polling blocks in librdkafka, so it runs on a dedicated thread until shutdown; so does the final commit.
        await RunOnOwnThread(() => consumer.Run(stages.Input, stoppingToken));
        int held = consumer.HeldCount;

        CloudLog.ShutdownPollingStopped(logger, offsets.PendingCount - held, held);
        var step = Stopwatch.StartNew();
        int abandoned = await stages.DrainAsync(options.DrainTimeout);
        CloudLog.ShutdownStagesDrained(logger, step.Elapsed.TotalMilliseconds, abandoned);

        step.Restart();
        int unflushed = publisher.Flush(options.DrainTimeout);
        CloudLog.ShutdownFlushed(logger, step.Elapsed.TotalMilliseconds, unflushed);
        await RunOnOwnThread(consumer.CommitAndClose);
        CloudLog.WorkerStopped(logger, options.WorkerId, offsets.PendingCount, unflushed);
        await reloadStop.CancelAsync();
        await reloading;
    }

    /// <summary>Loads the default model, so that a missing or invalid one fails the worker at start.</summary>
    private ReadyModelInfo LoadDefaultModel()
    {
        using ModelLease lease = models.Acquire(null);
        return ReadyModelInfo.From(lease.Model);
    }

    private static Task RunOnOwnThread(Action action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
