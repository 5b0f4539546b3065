using Confluent.Kafka;

namespace GanStream.Cloud.Consuming;

/// <summary>
/// Tracks messages from the moment they are read until their reply or dead letter is acknowledged, and gives the
/// offset that is safe to commit per partition: one past the last message of an unbroken run of finished ones.
/// Messages of a partition finish in any order. Thread-safe.
/// </summary>
public sealed class OffsetTracker
{
    private readonly Lock gate = new();
    private readonly Dictionary<TopicPartition, PartitionState> partitions = [];

    /// <summary>Records a message just read; messages of a partition must be tracked in offset order.</summary>
    public void Track(TopicPartitionOffset position)
    {
        ArgumentNullException.ThrowIfNull(position);
        lock (gate)
        {
            if (!partitions.TryGetValue(position.TopicPartition, out PartitionState? state))
            {
                state = new PartitionState();
                partitions[position.TopicPartition] = state;
            }

            state.Pending.Add(position.Offset.Value, false);
        }
    }

    /// <summary>Marks a message finished; a message of a partition no longer tracked is ignored.</summary>
    public void Complete(TopicPartitionOffset position)
    {
        ArgumentNullException.ThrowIfNull(position);
        lock (gate)
        {
            if (partitions.TryGetValue(position.TopicPartition, out PartitionState? state) &&
                state.Pending.ContainsKey(position.Offset.Value))
            {
                state.Pending[position.Offset.Value] = true;
            }
        }
    }

    /// <summary>
    /// Removes the finished run at the start of each partition and returns, for each partition that advanced, the
    /// offset to store: the next offset to read.
    /// </summary>
    public IReadOnlyList<TopicPartitionOffset> TakeCommittable()
    {
        var committable = new List<TopicPartitionOffset>();
        lock (gate)
        {
            foreach ((TopicPartition partition, PartitionState state) in partitions)
            {
                long? next = null;
                while (state.Pending.Count > 0 && state.Pending.GetValueAtIndex(0))
                {
                    next = state.Pending.GetKeyAtIndex(0) + 1;
                    state.Pending.RemoveAt(0);
                }

                if (next is { } offset)
                {
                    committable.Add(new TopicPartitionOffset(partition, new Offset(offset)));
                }
            }
        }

        return committable;
    }

    /// <summary>Messages read and not yet finished, over all partitions.</summary>
    public int PendingCount
    {
        get
        {
            lock (gate)
            {
                return partitions.Values.Sum(p => p.Pending.Count(entry => !entry.Value));
            }
        }
    }

    /// <summary>Forgets revoked or lost partitions; their unfinished messages will be read again by the new owner.</summary>
    public void Forget(IEnumerable<TopicPartition> revoked)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        lock (gate)
        {
            foreach (TopicPartition partition in revoked)
            {
                partitions.Remove(partition);
            }
        }
    }

    private sealed class PartitionState
    {
        /// <summary>Offsets read and not yet committable, with whether each is finished.</summary>
        public SortedList<long, bool> Pending { get; } = [];
    }
}
