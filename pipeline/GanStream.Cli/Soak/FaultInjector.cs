using Confluent.Kafka;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Kafka.Embedded;

namespace GanStream.Cli.Soak;

/// <summary>
/// Injects one fault at a time, chosen at random from a seeded generator, into the embedded cluster or the features
/// topic, and clears it again before returning. Not thread-safe: one caller.
/// </summary>
internal sealed class FaultInjector : IDisposable
{
    private const int BrokerId = 1;
    private const short ProduceApiKey = 0;
    private const short FetchApiKey = 1;
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(30);

    private readonly EmbeddedKafkaCluster cluster;
    private readonly TopicOptions topics;
    private readonly Random random;
    private readonly IProducer<string, byte[]> producer;
    private readonly Dictionary<FaultKind, int> counts = [];
    private volatile string active = "none";
    private int corruptDelivered;

    public FaultInjector(EmbeddedKafkaCluster cluster, TopicOptions topics, int seed)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(topics);
        this.cluster = cluster;
        this.topics = topics;
        random = new Random(seed);
        var config = new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            EnableIdempotence = true,
            LingerMs = 1,
        };
        producer = new ProducerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>Name of the fault in effect, or <c>none</c>.</summary>
    public string Active => active;

    /// <summary>Corrupt messages the broker acknowledged on the features topic.</summary>
    public int CorruptMessagesDelivered => Volatile.Read(ref corruptDelivered);

    /// <summary>Faults injected so far, by kind.</summary>
    public IReadOnlyDictionary<FaultKind, int> Counts
    {
        get
        {
            lock (counts)
            {
                return new Dictionary<FaultKind, int>(counts);
            }
        }
    }

    /// <summary>Applies one fault chosen at random, for at most <paramref name="maxDuration"/>, then clears it.</summary>
    /// <returns>A short description of the fault, for the soak's output.</returns>
    public async Task<string> InjectOneAsync(TimeSpan maxDuration, CancellationToken cancellationToken)
    {
        var kind = (FaultKind)random.Next(Enum.GetValues<FaultKind>().Length);
        int longestMs = (int)Math.Max(2001, maxDuration.TotalMilliseconds);
        TimeSpan duration = TimeSpan.FromMilliseconds(random.Next(2000, longestMs));
        lock (counts)
        {
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }

        active = kind.ToString();
        try
        {
            switch (kind)
            {
                case FaultKind.BrokerDown:
                    duration = Min(duration, TimeSpan.FromSeconds(15));
                    await BrokerDownAsync(duration, cancellationToken);
                    return $"broker down for {duration.TotalSeconds:F1} s";
                case FaultKind.RequestErrors:
                    int count = await RequestErrorsAsync(duration, cancellationToken);
                    return $"{count} request errors on Produce and Fetch";
                case FaultKind.RoundTripSpike:
                    TimeSpan roundTrip = await RoundTripSpikeAsync(duration, cancellationToken);
                    return $"round trip {roundTrip.TotalMilliseconds:F0} ms for {duration.TotalSeconds:F1} s";
                default:
                    int sent = SendCorruptMessages(random.Next(3, 9));
                    return $"{sent} corrupt messages";
            }
        }
        finally
        {
            active = "none";
        }
    }

    public void Dispose() => producer.Dispose();

    private async Task BrokerDownAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        cluster.SetBrokerDown(BrokerId);
        try
        {
            await Task.Delay(duration, cancellationToken);
        }
        finally
        {
            cluster.SetBrokerUp(BrokerId);
        }
    }

    private async Task<int> RequestErrorsAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        // Retriable errors: clients refresh their metadata and send again, so no frame is lost.
        // NOTE: REQUEST_TIMED_OUT is left out on purpose. With librdkafka 2.16's mock cluster, a Produce request that
        // fails with an injected REQUEST_TIMED_OUT is later acknowledged to the idempotent producer, although the
        // message was never stored. The soak would then report a lost frame that a real broker does not lose.
        ErrorCode[] errors = [.. Enumerable.Repeat(ErrorCode.NotLeaderForPartition, random.Next(2, 8))];
        cluster.PushRequestErrors(ProduceApiKey, [.. errors, ErrorCode.LeaderNotAvailable]);
        cluster.PushRequestErrors(FetchApiKey, errors);
        try
        {
            await Task.Delay(duration, cancellationToken);
        }
        finally
        {
            cluster.ClearRequestErrors(ProduceApiKey);
            cluster.ClearRequestErrors(FetchApiKey);
        }

        return errors.Length;
    }

    private async Task<TimeSpan> RoundTripSpikeAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var roundTrip = TimeSpan.FromMilliseconds(random.Next(200, 2000));
        cluster.SetBrokerRoundTrip(BrokerId, roundTrip);
        try
        {
            await Task.Delay(duration, cancellationToken);
        }
        finally
        {
            cluster.SetBrokerRoundTrip(BrokerId, TimeSpan.Zero);
        }

        return roundTrip;
    }

    private int SendCorruptMessages(int count)
    {
        for (int i = 0; i < count; i++)
        {
            (byte[] value, _) = CorruptMessages.Create(random.Next(CorruptMessages.Kinds), random);
            var message = new Message<string, byte[]>
            {
                Key = "soak-corrupt",
                Value = value,
                Headers = CorruptMessages.Headers(topics.Results),
            };
            producer.Produce(topics.Features, message, report =>
            {
                if (!report.Error.IsError)
                {
                    Interlocked.Increment(ref corruptDelivered);
                }
            });
        }

        producer.Flush(FlushTimeout);
        return count;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
