using System.Diagnostics;
using System.Threading.Channels;
using Confluent.Kafka;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Logging;
using Microsoft.Extensions.Logging;

namespace GanStream.Cloud.Consuming;

/// <summary>
/// The worker's Kafka consumer and its poll loop. The loop never blocks on the stages behind it: when their queue is
/// full it pauses the partitions and keeps polling, so the group keeps the worker however long inference takes.
/// Offsets are stored only for messages whose reply the broker acknowledged, and committed every second, when
/// partitions are revoked, and at close. Fetch sizes are bounded by <see cref="CloudOptions.MaxMessageBytes"/>.
/// </summary>
public sealed class FeatureConsumer : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(50);

    private readonly IConsumer<string, byte[]> consumer;
    private readonly OffsetTracker offsets;
    private readonly ILogger logger;
    private readonly StartGate? assignedGate;
    private readonly LogThrottle throttle;
    private readonly string groupId;
    private readonly Queue<InboundMessage> held = new();
    private readonly ConsumerLagExporter lag;
    private bool paused;

    public FeatureConsumer(
        KafkaBootstrap bootstrap,
        KafkaOptions kafkaOptions,
        CloudOptions options,
        OffsetTracker offsets,
        ILogger logger,
        LogThrottle throttle,
        StartGate? assignedGate)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(kafkaOptions);
        ArgumentNullException.ThrowIfNull(options);

        this.offsets = offsets;
        this.logger = logger;
        this.assignedGate = assignedGate;
        lag = new ConsumerLagExporter(logger);
        this.throttle = throttle;
        groupId = options.GroupId;

        var config = new ConsumerConfig
        {
            GroupId = options.GroupId,
            ClientId = $"ganstream-synth-{options.WorkerId}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 1000,
            EnableAutoOffsetStore = false,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            FetchWaitMaxMs = 10,
            EnablePartitionEof = false,

            // Feeds the lag metric; Kafka:Config:statistics.interval.ms overrides it, and 0 turns it off.
            StatisticsIntervalMs = 5000,
        };
        FetchLimits.Apply(config, options.MaxMessageBytes);
        KafkaClientConfigFactory.Apply(config, kafkaOptions, bootstrap.BootstrapServers);

        consumer = new ConsumerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) => KafkaClientLog.Forward(logger, message))
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList()))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions.Select(p => p.TopicPartition).ToList()))
            .SetStatisticsHandler((_, statistics) => lag.Update(statistics))
            .Build();
    }

    public void Subscribe(string topic) => consumer.Subscribe(topic);

    /// <summary>Messages read but not yet handed to the stages; valid on the polling thread.</summary>
    public int HeldCount => held.Count;

    /// <summary>Polls until <paramref name="stoppingToken"/> fires, writing messages into <paramref name="inbound"/>.</summary>
    public void Run(ChannelWriter<InboundMessage> inbound, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        while (!stoppingToken.IsCancellationRequested)
        {
            Forward(inbound);
            StoreFinishedOffsets();

            ConsumeResult<string, byte[]>? record;
            try
            {
                record = consumer.Consume(PollTimeout);
            }
            catch (ConsumeException exception)
            {
                OnError(exception.Error);
                if (exception.Error.IsFatal)
                {
                    throw;
                }

                continue;
            }

            if (record is null || record.IsPartitionEOF)
            {
                continue;
            }

            offsets.Track(record.TopicPartitionOffset);
            CloudMetrics.MessagesConsumed.Inc();
            held.Enqueue(new InboundMessage(record, Stopwatch.GetTimestamp()));
        }
    }

    /// <summary>
    /// Stores the offsets of finished messages and commits them, then leaves the group. Call once, after the stages
    /// have drained, from the thread that ran <see cref="Run"/>.
    /// </summary>
    public void CommitAndClose()
    {
        StoreFinishedOffsets();
        Commit("shutdown");
        CloudLog.ShutdownCommitted(logger);
        consumer.Close();
        lag.Clear();
        CloudLog.ShutdownClosed(logger, groupId);
    }

    public void Dispose() => consumer.Dispose();

    /// <summary>Moves held messages into the stage queue, pausing the partitions while it is full.</summary>
    private void Forward(ChannelWriter<InboundMessage> inbound)
    {
        while (held.Count > 0 && inbound.TryWrite(held.Peek()))
        {
            held.Dequeue();
        }

        if (held.Count > 0)
        {
            // Pausing is repeated while full, so partitions assigned in the meantime are paused too.
            consumer.Pause(consumer.Assignment);
            if (!paused)
            {
                paused = true;
                CloudMetrics.PartitionsPaused.Set(1);
                if (throttle.TryAcquire("paused", out long suppressed))
                {
                    CloudLog.PartitionsPaused(logger, suppressed);
                }
            }
        }
        else if (paused)
        {
            consumer.Resume(consumer.Assignment);
            paused = false;
            CloudMetrics.PartitionsPaused.Set(0);
        }
    }

    private void StoreFinishedOffsets()
    {
        foreach (TopicPartitionOffset offset in offsets.TakeCommittable())
        {
            try
            {
                consumer.StoreOffset(offset);
            }
            catch (KafkaException exception)
            {
                // The partition was revoked after its message finished; the new owner reads it again.
                CloudLog.CommitFailed(logger, exception.Error.Reason);
            }
        }
    }

    /// <summary>
    /// Commits the stored offsets. A failure is logged and not thrown, because this also runs in the revocation
    /// handler, where an exception would surface from the poll. The offsets then stay uncommitted, and the
    /// partition's next owner reads those messages again; the edge drops the duplicate results.
    /// </summary>
    private void Commit(string occasion)
    {
        try
        {
            // The result lists every assigned partition; those without a stored offset carry a special value.
            List<TopicPartitionOffset> committed = consumer.Commit().Where(o => !o.Offset.IsSpecial).ToList();
            if (committed.Count > 0)
            {
                CloudLog.OffsetsCommitted(logger, Describe(committed), occasion);
            }
        }
        catch (KafkaException exception) when (exception.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing finished since the last commit.
        }
        catch (KafkaException exception)
        {
            // For example RebalanceInProgress, IllegalGeneration or UnknownMemberId after the group moved on.
            CloudLog.CommitFailed(logger, $"{exception.Error.Code}: {exception.Error.Reason} ({occasion})");
        }
    }

    private void OnAssigned(List<TopicPartition> partitions)
    {
        CloudLog.PartitionsAssigned(logger, Describe(partitions));
        assignedGate?.Open();
    }

    private void OnRevoked(List<TopicPartition> partitions)
    {
        CloudLog.PartitionsRevoked(logger, Describe(partitions));
        StoreFinishedOffsets();
        Commit("revocation");
        Forget(partitions);
    }

    private void OnLost(List<TopicPartition> partitions)
    {
        // The group already gave these partitions to another member, so committing for them would fail.
        CloudLog.PartitionsLost(logger, Describe(partitions));
        Forget(partitions);
    }

    private void OnError(Error error)
    {
        if (throttle.TryAcquire($"kafka/consumer/{error.Code}", out long suppressed))
        {
            CloudLog.KafkaError(logger, error.Reason, error.IsFatal, suppressed);
        }
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(", ", partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]"));

    private static string Describe(IEnumerable<TopicPartitionOffset> offsets) =>
        string.Join(", ", offsets.Select(o => $"{o.Topic}[{o.Partition.Value}]@{o.Offset.Value}"));

    private void Forget(List<TopicPartition> partitions)
    {
        offsets.Forget(partitions);
        var revoked = partitions.ToHashSet();
        int count = held.Count;
        for (int i = 0; i < count; i++)
        {
            InboundMessage message = held.Dequeue();
            if (!revoked.Contains(message.Position.TopicPartition))
            {
                held.Enqueue(message);
            }
        }
    }
}
