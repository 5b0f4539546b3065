using Confluent.Kafka;
using GanStream.Cloud.Consuming;
using GanStream.Tests.Support;

namespace GanStream.Tests.Consuming;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class OffsetTrackerTests
{
    private static readonly TopicPartition PartitionZero = new("features", 0);
    private static readonly TopicPartition PartitionOne = new("features", 1);

    [Fact]
    public void TakeCommittable_OutOfOrderCompletion_WaitsForGap()
    {
        var tracker = new OffsetTracker();
        for (long offset = 10; offset < 14; offset++)
        {
            tracker.Track(new TopicPartitionOffset(PartitionZero, offset));
        }

        tracker.Complete(new TopicPartitionOffset(PartitionZero, 11));
        tracker.Complete(new TopicPartitionOffset(PartitionZero, 12));
        Assert.Empty(tracker.TakeCommittable());

        tracker.Complete(new TopicPartitionOffset(PartitionZero, 10));
        TopicPartitionOffset committable = Assert.Single(tracker.TakeCommittable());
        Assert.Equal(13, committable.Offset.Value);
        Assert.Equal(1, tracker.PendingCount);
    }

    [Fact]
    public void TakeCommittable_TwoPartitions_AreIndependent()
    {
        var tracker = new OffsetTracker();
        tracker.Track(new TopicPartitionOffset(PartitionZero, 0));
        tracker.Track(new TopicPartitionOffset(PartitionOne, 5));

        tracker.Complete(new TopicPartitionOffset(PartitionOne, 5));

        TopicPartitionOffset committable = Assert.Single(tracker.TakeCommittable());
        Assert.Equal(PartitionOne, committable.TopicPartition);
        Assert.Equal(6, committable.Offset.Value);
    }

    [Fact]
    public void Forget_RevokedPartition_IgnoresLateCompletion()
    {
        var tracker = new OffsetTracker();
        tracker.Track(new TopicPartitionOffset(PartitionZero, 3));

        tracker.Forget([PartitionZero]);
        tracker.Complete(new TopicPartitionOffset(PartitionZero, 3));

        Assert.Empty(tracker.TakeCommittable());
        Assert.Equal(0, tracker.PendingCount);
    }

    [Fact]
    public void TakeCommittable_Twice_ReturnsEachAdvanceOnce()
    {
        var tracker = new OffsetTracker();
        tracker.Track(new TopicPartitionOffset(PartitionZero, 0));
        tracker.Complete(new TopicPartitionOffset(PartitionZero, 0));

        Assert.Single(tracker.TakeCommittable());
        Assert.Empty(tracker.TakeCommittable());
    }
}
