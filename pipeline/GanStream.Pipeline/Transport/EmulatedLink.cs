using System.Threading.Channels;

namespace GanStream.Pipeline.Transport;

/// <summary>
/// One direction of an emulated link: a FIFO queue that transmits messages one after another at the link's
/// bandwidth, then delays each by half the round-trip time plus jitter, and runs the message's delivery action
/// when its last byte would arrive. Messages are delivered in the order they were sent.
/// </summary>
public sealed class EmulatedLink : IAsyncDisposable
{
    private readonly double bytesPerSecond;
    private readonly TimeSpan oneWayDelay;
    private readonly double jitterMs;
    private readonly Random random;
    private readonly TimeProvider time;
    private readonly Action<Exception>? onDeliveryError;
    private readonly Channel<ScheduledDelivery> queue = Channel.CreateUnbounded<ScheduledDelivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock gate = new();
    private readonly Task delivering;
    private long linkFreeAt;
    private long lastDeliveryAt;
    private int pending;

    /// <param name="megabitsPerSecond">Bandwidth; 0 transmits instantly.</param>
    /// <param name="roundTrip">Round-trip time; the link adds half of it.</param>
    /// <param name="jitter">Largest random extra delay per message.</param>
    /// <param name="seed">Seed of the jitter.</param>
    /// <param name="time">Clock; <see cref="TimeProvider.System"/> outside tests.</param>
    /// <param name="onDeliveryError">Receives an exception thrown by a delivery action; the link carries on.</param>
    public EmulatedLink(
        double megabitsPerSecond,
        TimeSpan roundTrip,
        TimeSpan jitter,
        int seed,
        TimeProvider time,
        Action<Exception>? onDeliveryError = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(megabitsPerSecond);
        ArgumentNullException.ThrowIfNull(time);

        bytesPerSecond = megabitsPerSecond * 1_000_000 / 8;
        oneWayDelay = roundTrip / 2;
        jitterMs = jitter.TotalMilliseconds;
        random = new Random(seed);
        this.time = time;
        this.onDeliveryError = onDeliveryError;
        delivering = Task.Run(DeliverAsync);
    }

    /// <summary>Creates the uplink (edge to cloud) of <paramref name="options"/>, or null when it has no effect.</summary>
    public static EmulatedLink? CreateUplink(LinkOptions options, TimeProvider time, Action<Exception>? onDeliveryError = null) =>
        Create(options.UplinkMbps, options, time, seedOffset: 0, onDeliveryError);

    /// <summary>Creates the downlink (cloud to edge) of <paramref name="options"/>, or null when it has no effect.</summary>
    public static EmulatedLink? CreateDownlink(LinkOptions options, TimeProvider time, Action<Exception>? onDeliveryError = null) =>
        Create(options.DownlinkMbps, options, time, seedOffset: 1, onDeliveryError);

    /// <summary>Messages queued and not yet delivered.</summary>
    /// <remarks>Counted here, because a single-reader unbounded channel does not count its items.</remarks>
    public int Pending => Volatile.Read(ref pending);

    /// <summary>
    /// Schedules a message of <paramref name="bytes"/> bytes; <paramref name="deliver"/> runs on the link's thread and
    /// should not block.
    /// </summary>
    /// <returns>The delay from now until delivery.</returns>
    public TimeSpan Send(int bytes, Action deliver)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentNullException.ThrowIfNull(deliver);

        long now = time.GetTimestamp();
        long deliverAt;
        lock (gate)
        {
            long transmitStart = Math.Max(now, linkFreeAt);
            long transmission = bytesPerSecond > 0 ? (long)(bytes / bytesPerSecond * time.TimestampFrequency) : 0;
            linkFreeAt = transmitStart + transmission;

            double extraMs = jitterMs > 0 ? random.NextDouble() * jitterMs : 0;
            long propagation = (long)((oneWayDelay.TotalMilliseconds + extraMs) / 1000 * time.TimestampFrequency);
            deliverAt = Math.Max(linkFreeAt + propagation, lastDeliveryAt);
            lastDeliveryAt = deliverAt;
        }

        Interlocked.Increment(ref pending);
        if (!queue.Writer.TryWrite(new ScheduledDelivery(deliverAt, deliver)))
        {
            Interlocked.Decrement(ref pending);
            throw new ObjectDisposedException(nameof(EmulatedLink));
        }

        return time.GetElapsedTime(now, deliverAt);
    }

    /// <summary>Delivers what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await delivering;
    }

    private static EmulatedLink? Create(
        double megabitsPerSecond,
        LinkOptions options,
        TimeProvider time,
        int seedOffset,
        Action<Exception>? onDeliveryError)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (megabitsPerSecond <= 0 && options.RoundTripMs <= 0 && options.JitterMs <= 0)
        {
            return null;
        }

        return new EmulatedLink(
            megabitsPerSecond,
            TimeSpan.FromMilliseconds(options.RoundTripMs),
            TimeSpan.FromMilliseconds(options.JitterMs),
            options.Seed + seedOffset,
            time,
            onDeliveryError);
    }

    private async Task DeliverAsync()
    {
        await foreach (ScheduledDelivery delivery in queue.Reader.ReadAllAsync())
        {
            TimeSpan wait = time.GetElapsedTime(time.GetTimestamp(), delivery.DeliverAt);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time);
            }

            try
            {
                delivery.Deliver();
            }
            catch (Exception exception) when (onDeliveryError is not null)
            {
                onDeliveryError(exception);
            }
            finally
            {
                Interlocked.Decrement(ref pending);
            }
        }
    }

    private readonly record struct ScheduledDelivery(long DeliverAt, Action Deliver);
}
