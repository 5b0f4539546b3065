using System.Diagnostics;
using Confluent.Kafka;
using GanStream.Edge.Publishing;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Logging;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace GanStream.Edge.Replies;

/// <summary>
/// Reads the reply topic from the moment it starts, matches each result to the frame sent with the same correlation
/// id, and expires frames whose result does not come. A second result for a frame, sent when a worker redid it
/// after a failure, is counted as a duplicate and dropped. Results of other edges sharing the topic are ignored.
/// Results larger than <see cref="EdgeOptions.MaxResultBytes"/> are not decoded, and the consumer's fetch sizes are bounded
/// by the same limit.
/// </summary>
public sealed class ResultListener : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ExpiryInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(30);

    private readonly IConsumer<string, byte[]> consumer;
    private readonly KafkaBootstrap bootstrap;
    private readonly KafkaOptions kafkaOptions;
    private readonly string topic;
    private readonly ResultMatcher matcher;
    private readonly TimeSpan resultTimeout;
    private readonly int maxResultBytes;
    private readonly ILogger logger;
    private readonly LogThrottle throttle;
    private readonly Lock actionsGate = new();
    private readonly Queue<(Action Action, TaskCompletionSource Done)> actions = new();
    private bool running;
    private long duplicates;
    private long unmatched;

    public ResultListener(
        KafkaBootstrap bootstrap,
        KafkaOptions kafkaOptions,
        TopicOptions topics,
        EdgeOptions edgeOptions,
        InFlightFrames inFlight,
        IReadOnlyList<IResultObserver> observers,
        LogThrottle throttle,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(kafkaOptions);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(edgeOptions);

        this.bootstrap = bootstrap;
        this.kafkaOptions = kafkaOptions;
        topic = topics.Results;
        matcher = new ResultMatcher(inFlight, observers, throttle, logger);
        resultTimeout = edgeOptions.ResultTimeout;
        maxResultBytes = edgeOptions.MaxResultBytes;
        this.throttle = throttle;
        this.logger = logger;

        var config = new ConsumerConfig
        {
            GroupId = $"ganstream-edge-{edgeOptions.EdgeId}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            ClientId = $"ganstream-edge-{edgeOptions.EdgeId}",
            FetchWaitMaxMs = 10,

            // Should the position ever become invalid, read old results again (ignored as duplicates or foreign)
            // rather than skip to the end and lose results still to come.
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        FetchLimits.Apply(config, edgeOptions.MaxResultBytes);
        KafkaClientConfigFactory.Apply(config, kafkaOptions, bootstrap.BootstrapServers);
        consumer = new ConsumerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => OnError(error.Reason, error.IsFatal, error.Code))
            .SetLogHandler((_, message) => KafkaClientLog.Forward(logger, message))
            .Build();
    }

    /// <summary>Results for frames already settled, dropped by correlation id.</summary>
    public long Duplicates => Interlocked.Read(ref duplicates);

    /// <summary>Results that match no frame this edge sent.</summary>
    public long Unmatched => Interlocked.Read(ref unmatched);

    /// <summary>
    /// Assigns every partition of the reply topic at its current end, so that results of frames sent after this call
    /// are all read and older results are not.
    /// </summary>
    public void AssignAtEnd()
    {
        var adminConfig = KafkaClientConfigFactory.Apply(new AdminClientConfig(), kafkaOptions, bootstrap.BootstrapServers);
        using IAdminClient admin = new AdminClientBuilder(adminConfig).Build();
        Metadata metadata = admin.GetMetadata(topic, MetadataTimeout);
        TopicMetadata? topicMetadata = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
        if (topicMetadata is null || topicMetadata.Error.IsError || topicMetadata.Partitions.Count == 0)
        {
            string reason = topicMetadata?.Error.Reason ?? "not in the metadata";
            throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart, $"Reply topic '{topic}' is unavailable: {reason}."));
        }

        var assignment = new List<TopicPartitionOffset>();
        foreach (PartitionMetadata partition in topicMetadata.Partitions)
        {
            var topicPartition = new TopicPartition(topic, partition.PartitionId);
            WatermarkOffsets watermarks = consumer.QueryWatermarkOffsets(topicPartition, MetadataTimeout);
            assignment.Add(new TopicPartitionOffset(topicPartition, watermarks.High));
        }

        consumer.Assign(assignment);
        EdgeLog.ListeningForResults(logger, topic, assignment.Count);
    }

    /// <summary>Reads results until cancelled. Runs on the calling thread; start it on a dedicated one.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        lock (actionsGate)
        {
            running = true;
        }

        try
        {
            Listen(cancellationToken);
        }
        finally
        {
            lock (actionsGate)
            {
                running = false;
            }

            RunQueuedActions();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the listener thread between two results, so that it comes after every result
    /// already matched, or on the calling thread when the listener is not running.
    /// </summary>
    /// <returns>A task that completes when the action has run, or faults with its exception.</returns>
    public Task InvokeAsync(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (actionsGate)
        {
            if (running)
            {
                actions.Enqueue((action, done));
                return done.Task;
            }
        }

        Execute(action, done);
        return done.Task;
    }

    private void Listen(CancellationToken cancellationToken)
    {
        long lastExpiry = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            RunQueuedActions();
            ConsumeResult<string, byte[]>? record;
            try
            {
                record = consumer.Consume(PollTimeout);
            }
            catch (ConsumeException exception)
            {
                OnError(exception.Error.Reason, exception.Error.IsFatal, exception.Error.Code);
                continue;
            }

            if (record is not null && !record.IsPartitionEOF)
            {
                Handle(record);
            }

            if (Stopwatch.GetElapsedTime(lastExpiry) >= ExpiryInterval)
            {
                ExpireOverdue();
                lastExpiry = Stopwatch.GetTimestamp();
            }
        }
    }

    private void RunQueuedActions()
    {
        while (true)
        {
            (Action Action, TaskCompletionSource Done) next;
            lock (actionsGate)
            {
                if (!actions.TryDequeue(out next))
                {
                    return;
                }
            }

            Execute(next.Action, next.Done);
        }
    }

    private static void Execute(Action action, TaskCompletionSource done)
    {
        try
        {
            action();
            done.SetResult();
        }
        catch (Exception exception)
        {
            // The caller awaits the task and handles the failure; the listener keeps running.
            done.SetException(exception);
        }
    }

    /// <summary>Settles frames sent longer ago than the result timeout as expired.</summary>
    public void ExpireOverdue() => matcher.ExpireOverdue(resultTimeout);

    public void Dispose()
    {
        consumer.Close();
        consumer.Dispose();
    }

    private void Handle(ConsumeResult<string, byte[]> record)
    {
        string? correlationId = record.Message.Headers.GetString(MessageHeaders.CorrelationId);
        if (!CorrelationIds.IsValid(correlationId))
        {
            Ignore(record, "no valid correlation-id header", outcome: "unmatched");
            return;
        }

        if (matcher.Take(correlationId!, out bool duplicate) is not { } frame)
        {
            string outcome = duplicate ? "duplicate" : "unmatched";
            string reason = duplicate ? "duplicate result" : "not sent by this edge, or settled long ago";
            Ignore(record, reason, outcome);
            return;
        }

        int length = record.Message.Value?.Length ?? 0;
        if (length > maxResultBytes)
        {
            string detail = $"the result has {length} bytes, over the limit of {maxResultBytes}";
            matcher.Reject(frame, "result-too-large", string.Empty, detail);
            return;
        }

        SynthesisResult? result = TryParse(record.Message.Value);
        if (result is null || result.SchemaVersion != SchemaVersions.SynthesisResult)
        {
            matcher.Reject(frame, "invalid-result", string.Empty, "the result is not a valid SynthesisResult");
            return;
        }

        matcher.Settle(frame, result);
    }

    private void Ignore(ConsumeResult<string, byte[]> record, string reason, string outcome)
    {
        // The camera id of a result that matches no frame is not trusted, so it is not used as a label.
        EdgeMetrics.Results.WithLabels(string.Empty, outcome).Inc();
        if (outcome == "duplicate")
        {
            Interlocked.Increment(ref duplicates);
            if (throttle.TryAcquire("ignored/duplicate", out _))
            {
                EdgeLog.ResultIgnored(logger, record.Topic, record.Partition.Value, record.Offset.Value, reason);
            }

            return;
        }

        Interlocked.Increment(ref unmatched);
    }

    private void OnError(string reason, bool isFatal, ErrorCode code)
    {
        if (throttle.TryAcquire($"kafka/listener/{code}", out long suppressed))
        {
            EdgeLog.KafkaError(logger, reason, isFatal, suppressed);
        }
    }

    private static SynthesisResult? TryParse(byte[]? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return SynthesisResult.Parser.ParseFrom(value);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
