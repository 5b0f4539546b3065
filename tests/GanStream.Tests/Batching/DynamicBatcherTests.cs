using System.Diagnostics;
using System.Threading.Channels;
using GanStream.Cloud.Batching;
using GanStream.Tests.Support;

namespace GanStream.Tests.Batching;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class DynamicBatcherTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(1, 10, new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 })]
    [InlineData(4, 10, new[] { 4, 4, 2 })]
    [InlineData(8, 10, new[] { 8, 2 })]
    [InlineData(16, 10, new[] { 10 })]
    public async Task NextBatch_QueuedItems_SplitByMaxBatchSize(int maxBatchSize, int items, int[] expectedSizes)
    {
        Channel<int> channel = Channel.CreateUnbounded<int>();
        for (int i = 0; i < items; i++)
        {
            channel.Writer.TryWrite(i);
        }

        channel.Writer.Complete();
        var batcher = new DynamicBatcher<int>(channel.Reader, maxBatchSize, TimeSpan.FromMilliseconds(5), (_, _) => true);

        List<int> sizes = await DrainAsync(batcher);

        Assert.Equal(expectedSizes, sizes);
    }

    [Fact]
    public async Task NextBatch_IncompatibleItem_StartsNextBatch()
    {
        Channel<int> channel = Channel.CreateUnbounded<int>();
        foreach (int item in new[] { 1, 3, 5, 2, 4, 7 })
        {
            channel.Writer.TryWrite(item);
        }

        channel.Writer.Complete();
        var batcher = new DynamicBatcher<int>(channel.Reader, 8, TimeSpan.Zero, (first, next) => first % 2 == next % 2);
        var batch = new List<int>();
        var batches = new List<int[]>();
        using var cancellation = new CancellationTokenSource(Timeout);
        while (await batcher.NextBatchAsync(batch, cancellation.Token))
        {
            batches.Add([.. batch]);
        }

        Assert.Equal([[1, 3, 5], [2, 4], [7]], batches);
    }

    [Fact]
    public async Task NextBatch_SingleItem_WaitsAboutMaxDelayForCompany()
    {
        Channel<int> channel = Channel.CreateUnbounded<int>();
        channel.Writer.TryWrite(1);
        var batcher = new DynamicBatcher<int>(channel.Reader, 4, TimeSpan.FromMilliseconds(100), (_, _) => true);
        var batch = new List<int>();
        using var cancellation = new CancellationTokenSource(Timeout);

        var clock = Stopwatch.StartNew();
        Assert.True(await batcher.NextBatchAsync(batch, cancellation.Token));

        Assert.Single(batch);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(80), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task NextBatch_ItemArrivesWithinDelay_JoinsBatch()
    {
        Channel<int> channel = Channel.CreateUnbounded<int>();
        channel.Writer.TryWrite(1);
        var batcher = new DynamicBatcher<int>(channel.Reader, 2, TimeSpan.FromSeconds(5), (_, _) => true);
        var batch = new List<int>();
        using var cancellation = new CancellationTokenSource(Timeout);

        ValueTask<bool> next = batcher.NextBatchAsync(batch, cancellation.Token);
        await Task.Delay(50, cancellation.Token);
        channel.Writer.TryWrite(2);

        Assert.True(await next);
        Assert.Equal([1, 2], batch);
    }

    [Fact]
    public async Task NextBatch_NoWaitItem_TakesQueuedOnly()
    {
        Channel<int> channel = Channel.CreateUnbounded<int>();
        channel.Writer.TryWrite(1);
        channel.Writer.TryWrite(2);
        var batcher = new DynamicBatcher<int>(channel.Reader, 4, TimeSpan.FromSeconds(30), (_, _) => true, item => item > 1);
        var batch = new List<int>();
        using var cancellation = new CancellationTokenSource(Timeout);

        // The first batch starts with 1, which does not wait: it takes what is queued and returns before the delay.
        Assert.True(await batcher.NextBatchAsync(batch, cancellation.Token));
        Assert.Equal([1, 2], batch);

        // A batch that starts with 3 waits, so 4, written while it waits, joins it.
        channel.Writer.TryWrite(3);
        ValueTask<bool> next = batcher.NextBatchAsync(batch, cancellation.Token);
        await Task.Delay(50, cancellation.Token);
        channel.Writer.TryWrite(4);
        channel.Writer.Complete();

        Assert.True(await next);
        Assert.Equal([3, 4], batch);
    }

    [Fact]
    public async Task NextBatch_CompletedEmptySource_ReturnsFalse()
    {
        Channel<int> channel = Channel.CreateUnbounded<int>();
        channel.Writer.Complete();
        var batcher = new DynamicBatcher<int>(channel.Reader, 4, TimeSpan.FromMilliseconds(10), (_, _) => true);
        using var cancellation = new CancellationTokenSource(Timeout);

        Assert.False(await batcher.NextBatchAsync([], cancellation.Token));
    }

    [Fact]
    public async Task NextBatch_Cancelled_Throws()
    {
        Channel<int> channel = Channel.CreateUnbounded<int>();
        var batcher = new DynamicBatcher<int>(channel.Reader, 4, TimeSpan.FromMilliseconds(10), (_, _) => true);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await batcher.NextBatchAsync([], cancellation.Token));
    }

    private static async Task<List<int>> DrainAsync(DynamicBatcher<int> batcher)
    {
        var sizes = new List<int>();
        var batch = new List<int>();
        using var cancellation = new CancellationTokenSource(Timeout);
        while (await batcher.NextBatchAsync(batch, cancellation.Token))
        {
            sizes.Add(batch.Count);
        }

        return sizes;
    }
}
