using System.Diagnostics;
using System.Threading.Channels;

namespace GanStream.Cloud.Batching;

/// <summary>
/// Groups items from a channel into batches of up to <c>maxBatchSize</c> compatible items. A batch is released
/// when it is full, when <c>maxDelay</c> has passed since its first item was taken, or when the next item cannot
/// join it (for example a frame of another size); that item starts the next batch. Single reader.
/// </summary>
public sealed class DynamicBatcher<T>
{
    private readonly ChannelReader<T> source;
    private readonly int maxBatchSize;
    private readonly TimeSpan maxDelay;
    private readonly Func<T, T, bool> canJoin;
    private readonly Func<T, bool>? waitsForMore;
    private CancellationTokenSource timeout = new();
    private T? held;
    private bool hasHeld;

    /// <param name="source">Items to batch; the batcher ends when the channel completes and is empty.</param>
    /// <param name="maxBatchSize">Most items in one batch.</param>
    /// <param name="maxDelay">Longest wait for more items after the first item of a batch; zero takes what is queued.</param>
    /// <param name="canJoin">Whether an item (second argument) can join a batch that starts with the first.</param>
    /// <param name="waitsForMore">
    /// Whether a batch that starts with this item waits up to <paramref name="maxDelay"/> for more; when false it takes
    /// only what is queued. Null waits for every batch.
    /// </param>
    public DynamicBatcher(
        ChannelReader<T> source,
        int maxBatchSize,
        TimeSpan maxDelay,
        Func<T, T, bool> canJoin,
        Func<T, bool>? waitsForMore = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(canJoin);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);

        this.source = source;
        this.maxBatchSize = maxBatchSize;
        this.maxDelay = maxDelay;
        this.canJoin = canJoin;
        this.waitsForMore = waitsForMore;
    }

    /// <summary>Waits for and returns the next batch, filling <paramref name="batch"/>.</summary>
    /// <returns>False when the source is complete and no item is left.</returns>
    public async ValueTask<bool> NextBatchAsync(List<T> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Clear();

        if (!await TakeFirstAsync(batch, cancellationToken))
        {
            return false;
        }

        long started = Stopwatch.GetTimestamp();
        T first = batch[0];
        TimeSpan delay = waitsForMore is null || waitsForMore(first) ? maxDelay : TimeSpan.Zero;
        while (batch.Count < maxBatchSize)
        {
            if (source.TryRead(out T? item))
            {
                if (!canJoin(first, item))
                {
                    held = item;
                    hasHeld = true;
                    break;
                }

                batch.Add(item);
                continue;
            }

            TimeSpan remaining = delay - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero || !await WaitForItemAsync(remaining, cancellationToken))
            {
                break;
            }
        }

        return true;
    }

    private async ValueTask<bool> TakeFirstAsync(List<T> batch, CancellationToken cancellationToken)
    {
        if (hasHeld)
        {
            batch.Add(held!);
            held = default;
            hasHeld = false;
            return true;
        }

        while (await source.WaitToReadAsync(cancellationToken))
        {
            if (source.TryRead(out T? item))
            {
                batch.Add(item);
                return true;
            }
        }

        return false;
    }

    /// <returns>True when an item may be available, false when the wait timed out or the source completed.</returns>
    private async ValueTask<bool> WaitForItemAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!timeout.TryReset())
        {
            timeout.Dispose();
            timeout = new CancellationTokenSource();
        }

        timeout.CancelAfter(wait);
        using CancellationTokenRegistration link = cancellationToken.UnsafeRegister(
            static state => ((CancellationTokenSource)state!).Cancel(),
            timeout);

        try
        {
            return await source.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
