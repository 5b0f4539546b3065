using System.Diagnostics;
using System.Threading.Channels;
using GanStream.Cloud.Batching;
using GanStream.Cloud.Consuming;
using GanStream.Cloud.Decoding;
using GanStream.Cloud.Inference;
using GanStream.Cloud.Replying;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Logging;
using GanStream.Pipeline.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

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
    private volatile ReadyModelInfo? readyModel;

    public SynthesisWorker(
        IOptions<CloudOptions> options,
        IOptions<KafkaOptions> kafkaOptions,
        IOptions<TopicOptions> topics,
        KafkaBootstrap bootstrap,
        ModelRepository models,
        ILogger<SynthesisWorker> logger,
        StartGate? assignedGate = null)
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
        ReadyModelInfo defaultModel = LoadDefaultModel();
        await TopicProvisioner.EnsureTopicsAsync(bootstrap, kafkaOptions, [topics.Features, topics.DeadLetter], logger, stoppingToken);

        // Disposal runs in reverse: the consumer is closed (by CommitAndClose) before the producer is disposed.
        using var publisher = new ReplyPublisher(bootstrap, kafkaOptions, topics, options, offsets, throttle, logger);
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

        Channel<InboundMessage> inbound = CreateQueue<InboundMessage>(options.InboundQueueCapacity);
        Channel<DecodedFrame> ready = CreateQueue<DecodedFrame>(options.ReadyQueueCapacity);
        Channel<InferredBatch> inferred = CreateQueue<InferredBatch>(options.OutputQueueCapacity);

        // The stages stop reading when the drain deadline passes; until then they finish what was polled.
        using var drain = new CancellationTokenSource();
        var decoder = new FeatureDecoder(options, models);
        Task[] decoding = Start(options.DecodeConcurrency, () => DecodeAsync(decoder, inbound.Reader, ready.Writer, publisher, drain.Token));
        Task inferring = StartLongRunning(() => InferAsync(ready.Reader, inferred.Writer, publisher, drain.Token));
        var encoder = new ResultEncoder(options.OutputEncoding, options.OutputQuality);
        Task[] encoding = Start(options.EncodeConcurrency, () => EncodeAsync(encoder, inferred.Reader, publisher, drain.Token));

        // Polling runs on this dedicated thread until shutdown, then the same thread commits and closes.
        int held = 0;
        await StartLongRunning(() =>
        {
            consumer.Run(inbound.Writer, stoppingToken);
            held = consumer.HeldCount;
            return Task.CompletedTask;
        });

        CloudLog.ShutdownPollingStopped(logger, offsets.PendingCount - held, held);
        var step = Stopwatch.StartNew();
        drain.CancelAfter(options.DrainTimeout);
        inbound.Writer.TryComplete();
        await WhenAllQuietly(decoding);
        ready.Writer.TryComplete();
        await WhenAllQuietly(inferring);
        inferred.Writer.TryComplete();
        await WhenAllQuietly(encoding);
        int abandoned = DisposeLeftovers(inbound.Reader, ready.Reader, inferred.Reader);
        CloudLog.ShutdownStagesDrained(logger, step.Elapsed.TotalMilliseconds, abandoned);

        step.Restart();
        int unflushed = publisher.Flush(options.DrainTimeout);
        CloudLog.ShutdownFlushed(logger, step.Elapsed.TotalMilliseconds, unflushed);
        await StartLongRunning(() =>
        {
            consumer.CommitAndClose();
            return Task.CompletedTask;
        });
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

    private static async Task DecodeAsync(
        FeatureDecoder decoder,
        ChannelReader<InboundMessage> inbound,
        ChannelWriter<DecodedFrame> ready,
        ReplyPublisher publisher,
        CancellationToken cancellationToken)
    {
        await foreach (InboundMessage message in inbound.ReadAllAsync(cancellationToken))
        {
            RequestHeaders? headers = decoder.ReadHeaders(message, out Rejection? rejection);
            if (headers is null)
            {
                publisher.PublishRejection(message, null, null, rejection!);
                continue;
            }

            DecodedFrame? frame;
            Schemas.FrameFeatures? features = null;
            try
            {
                frame = decoder.Decode(message, headers, out features, out rejection);
            }
            catch (OpenCVException exception)
            {
                frame = null;
                rejection = new Rejection(RejectionReason.UndecodablePayload, $"OpenCV failed to decode the payload: {exception.Message}");
            }

            if (frame is null)
            {
                publisher.PublishRejection(message, headers, features, rejection!);
                continue;
            }

            CloudMetrics.DecodeDuration.Observe(frame.DecodeMs / 1000);
            await ready.WriteAsync(frame, cancellationToken);
        }
    }

    private async Task InferAsync(
        ChannelReader<DecodedFrame> ready,
        ChannelWriter<InferredBatch> inferred,
        ReplyPublisher publisher,
        CancellationToken cancellationToken)
    {
        var batcher = new DynamicBatcher<DecodedFrame>(ready, options.MaxBatchSize, options.MaxBatchDelay, BatchRunner.CanBatch);
        var runner = new BatchRunner(options.MaxBatchSize, logger);
        var batch = new List<DecodedFrame>(options.MaxBatchSize);
        while (await batcher.NextBatchAsync(batch, cancellationToken))
        {
            DecodedFrame[] frames = [.. batch];
            InferredBatch result;
            try
            {
                result = runner.Run(frames);
            }
            catch (OnnxRuntimeException exception)
            {
                RejectAll(frames, publisher, RejectionReason.ModelFailed, exception.Message);
                continue;
            }

            SuperResolutionModel model = frames[0].Model;
            CloudMetrics.BatchSize.WithLabels(model.Manifest.Name).Observe(frames.Length);
            CloudMetrics.InferenceDuration.WithLabels(model.Manifest.Name, model.ExecutionProvider).Observe(result.InferenceMs / 1000);
            foreach (DecodedFrame frame in frames)
            {
                CloudMetrics.BatchWait.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(frame.ReadyTimestamp, result.StartTimestamp).TotalSeconds);
            }

            CloudLog.BatchInferred(logger, frames.Length, frames[0].Width, frames[0].Height, model.Manifest.Id, result.InferenceMs);
            await inferred.WriteAsync(result, cancellationToken);
        }
    }

    private static async Task EncodeAsync(
        ResultEncoder encoder,
        ChannelReader<InferredBatch> inferred,
        ReplyPublisher publisher,
        CancellationToken cancellationToken)
    {
        await foreach (InferredBatch batch in inferred.ReadAllAsync(cancellationToken))
        {
            using (batch)
            {
                for (int i = 0; i < batch.Frames.Count; i++)
                {
                    DecodedFrame frame = batch.Frames[i];
                    Schemas.SynthesisResult? result;
                    Rejection? rejection;
                    try
                    {
                        result = encoder.Encode(batch, i, out rejection);
                    }
                    catch (OpenCVException exception)
                    {
                        result = null;
                        rejection = new Rejection(RejectionReason.EncodeFailed, exception.Message);
                    }

                    if (result is null)
                    {
                        publisher.PublishRejection(frame.Message, frame.Headers, frame.Features, rejection!);
                        continue;
                    }

                    publisher.PublishResult(frame, result);
                }
            }
        }
    }

    private void RejectAll(DecodedFrame[] frames, ReplyPublisher publisher, string reason, string detail)
    {
        CloudLog.InferenceFailed(logger, frames.Length, frames[0].Model.Manifest.Id, detail);
        foreach (DecodedFrame frame in frames)
        {
            publisher.PublishRejection(frame.Message, frame.Headers, frame.Features, new Rejection(reason, detail));
            frame.Dispose();
        }
    }

    private static Channel<T> CreateQueue<T>(int capacity) =>
        Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });

    private static Task[] Start(int count, Func<Task> loop) =>
        Enumerable.Range(0, count).Select(_ => Task.Run(loop)).ToArray();

    private static Task StartLongRunning(Func<Task> loop) =>
        Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private static async Task WhenAllQuietly(params Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException)
        {
            // The drain deadline passed; what is left is disposed and read again by the next owner.
        }
    }

    /// <summary>Disposes what the stages did not finish before the drain deadline; returns the number of items.</summary>
    private static int DisposeLeftovers(
        ChannelReader<InboundMessage> inbound,
        ChannelReader<DecodedFrame> ready,
        ChannelReader<InferredBatch> inferred)
    {
        int count = 0;
        while (inbound.TryRead(out _))
        {
            count++;
        }

        while (ready.TryRead(out DecodedFrame? frame))
        {
            frame.Dispose();
            count++;
        }

        while (inferred.TryRead(out InferredBatch? batch))
        {
            count += batch.Frames.Count;
            batch.Dispose();
        }

        return count;
    }
}
