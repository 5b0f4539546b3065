using System.Diagnostics;
using Confluent.Kafka;
using GanStream.Edge.Publishing;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace GanStream.Edge.Replies;

/// <summary>
/// Reads the reply topic from the moment it starts, matches each result to the frame sent with the same correlation
/// id, and expires frames whose result does not come. Results of other edges sharing the topic are ignored.
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
    private readonly InFlightFrames inFlight;
    private readonly IReadOnlyList<IResultObserver> observers;
    private readonly TimeSpan resultTimeout;
    private readonly ILogger logger;
    private readonly RecentCorrelationIds settled = new(8192);

    public ResultListener(
        KafkaBootstrap bootstrap,
        KafkaOptions kafkaOptions,
        TopicOptions topics,
        EdgeOptions edgeOptions,
        InFlightFrames inFlight,
        IReadOnlyList<IResultObserver> observers,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(kafkaOptions);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(edgeOptions);

        this.bootstrap = bootstrap;
        this.kafkaOptions = kafkaOptions;
        topic = topics.Results;
        this.inFlight = inFlight;
        this.observers = observers;
        resultTimeout = edgeOptions.ResultTimeout;
        this.logger = logger;

        var config = new ConsumerConfig
        {
            GroupId = $"ganstream-edge-{edgeOptions.EdgeId}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            ClientId = $"ganstream-edge-{edgeOptions.EdgeId}",
            FetchWaitMaxMs = 10,
        };
        KafkaClientConfigFactory.Apply(config, kafkaOptions, bootstrap.BootstrapServers);
        consumer = new ConsumerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => EdgeLog.KafkaError(logger, error.Reason, error.IsFatal))
            .Build();
    }

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
        long lastExpiry = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            ConsumeResult<string, byte[]>? record;
            try
            {
                record = consumer.Consume(PollTimeout);
            }
            catch (ConsumeException exception)
            {
                EdgeLog.KafkaError(logger, exception.Error.Reason, exception.Error.IsFatal);
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

    /// <summary>Settles frames sent longer ago than the result timeout as expired.</summary>
    public void ExpireOverdue()
    {
        foreach (PendingFrame frame in inFlight.RemoveExpired(resultTimeout))
        {
            frame.Account.FrameExpired();
            settled.Add(frame.CorrelationId);
            EdgeLog.FrameExpired(logger, frame.CameraId, frame.Sequence, resultTimeout.TotalSeconds);
        }
    }

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

        SynthesisResult? result = TryParse(record.Message.Value);
        if (!inFlight.TryRemove(correlationId!, out PendingFrame frame))
        {
            bool duplicate = settled.Contains(correlationId!);
            string outcome = duplicate ? "duplicate" : "unmatched";
            string reason = duplicate ? "duplicate result" : "not sent by this edge, or settled long ago";
            Ignore(record, reason, outcome);
            return;
        }

        settled.Add(correlationId!);
        TimeSpan latency = Stopwatch.GetElapsedTime(frame.CaptureTimestamp);
        if (result is null || result.SchemaVersion != SchemaVersions.SynthesisResult)
        {
            frame.Account.FrameRejected("invalid-result");
            EdgeLog.FrameRejected(logger, frame.CameraId, frame.Sequence, string.Empty, "the result is not a valid SynthesisResult");
            return;
        }

        if (result.Status != ResultStatus.Ok)
        {
            string reason = string.IsNullOrEmpty(result.ErrorReason) ? "unspecified" : result.ErrorReason;
            frame.Account.FrameRejected(reason);
            EdgeLog.FrameRejected(logger, frame.CameraId, frame.Sequence, result.WorkerId, reason);
            return;
        }

        frame.Account.FrameSynthesized(latency);
        foreach (IResultObserver observer in observers)
        {
            observer.OnResult(frame, result, latency);
        }
    }

    private void Ignore(ConsumeResult<string, byte[]> record, string reason, string outcome)
    {
        // The camera id of a result that matches no frame is not trusted, so it is not used as a label.
        EdgeMetrics.Results.WithLabels(string.Empty, outcome).Inc();
        if (outcome == "duplicate")
        {
            EdgeLog.ResultIgnored(logger, record.Topic, record.Partition.Value, record.Offset.Value, reason);
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
