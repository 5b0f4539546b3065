using System.Diagnostics;
using System.Threading.Channels;
using Confluent.Kafka;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Kafka;
using Microsoft.Extensions.Logging;

namespace GanStream.Cloud.Consuming;

/// <summary>
/// The worker's Kafka consumer and its poll loop. The loop never blocks on the stages behind it: when their queue is
/// full it pauses the partitions and keeps polling, so the group keeps the worker however long inference takes.
/// Offsets are stored only for messages whose reply the broker acknowledged.
/// </summary>
public sealed class FeatureConsumer : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(50);

    private readonly IConsumer<string, byte[]> consumer;
    private readonly OffsetTracker offsets;
    private readonly ILogger logger;
    private readonly StartGate? assignedGate;
    private readonly Queue<InboundMessage> held = new();
    private readonly ConsumerLagExporter lag;
    private bool paused;

    public FeatureConsumer(
        KafkaBootstrap bootstrap,
        KafkaOptions kafkaOptions,
        CloudOptions options,
        OffsetTracker offsets,
        ILogger logger,
        StartGate? assignedGate)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(kafkaOptions);
        ArgumentNullException.ThrowIfNull(options);

        this.offsets = offsets;
        this.logger = logger;
        this.assignedGate = assignedGate;
        lag = new ConsumerLagExporter(logger);

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
        KafkaClientConfigFactory.Apply(config, kafkaOptions, bootstrap.BootstrapServers);

        consumer = new ConsumerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => CloudLog.KafkaError(logger, error.Reason, error.IsFatal))
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList()))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions.Select(p => p.TopicPartition).ToList()))
            .SetStatisticsHandler((_, statistics) => lag.Update(statistics))
            .Build();
    }

    public void Subscribe(string topic) => consumer.Subscribe(topic);

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
                CloudLog.KafkaError(logger, exception.Error.Reason, exception.Error.IsFatal);
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
        Commit();
        consumer.Close();
        lag.Clear();
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
                CloudLog.PartitionsPaused(logger);
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

    private void Commit()
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException exception) when (exception.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing finished since the last commit.
        }
        catch (KafkaException exception) when (exception.Error.Code is ErrorCode.RebalanceInProgress
            or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId or ErrorCode.Local_State)
        {
            // Nothing to commit, or the group moved on: the new owners read from the last committed offset.
            CloudLog.CommitFailed(logger, exception.Error.Reason);
        }
    }

    private void OnAssigned(List<TopicPartition> partitions)
    {
        CloudLog.PartitionsAssigned(logger, string.Join(", ", partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]")));
        assignedGate?.Open();
    }

    private void OnRevoked(List<TopicPartition> partitions)
    {
        CloudLog.PartitionsRevoked(logger, string.Join(", ", partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]")));
        StoreFinishedOffsets();
        Commit();
        Forget(partitions);
    }

    private void OnLost(List<TopicPartition> partitions) => Forget(partitions);

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
