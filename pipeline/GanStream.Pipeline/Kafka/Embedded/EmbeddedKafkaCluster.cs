using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace GanStream.Pipeline.Kafka.Embedded;

/// <summary>
/// A Kafka cluster inside this process: librdkafka's mock cluster, which speaks the Kafka protocol over TCP on
/// 127.0.0.1. It is meant for one-machine runs and tests, and keeps only the newest few megabytes of each
/// partition (librdkafka 2.16), so a consumer that starts late may not see old messages.
/// </summary>
public sealed class EmbeddedKafkaCluster : IDisposable
{
    private const int ErrorTextSize = 512;

    private readonly Lock gate = new();
    private IntPtr kafka;
    private IntPtr cluster;

    private EmbeddedKafkaCluster(IntPtr kafka, IntPtr cluster, int brokerCount, string bootstrapServers)
    {
        this.kafka = kafka;
        this.cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>Comma-separated <c>host:port</c> list of the cluster's brokers, all on 127.0.0.1.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; their ids run from 1 to this count.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a cluster with <paramref name="brokerCount"/> brokers listening on free loopback ports.</summary>
    /// <param name="brokerCount">Number of brokers, from 1 to 16.</param>
    /// <param name="initialRebalanceDelay">
    /// Delay before the first rebalance of a new consumer group; Kafka's default is 3 seconds, and a short
    /// delay makes a single consumer start sooner.
    /// </param>
    public static EmbeddedKafkaCluster Start(int brokerCount = 1, TimeSpan? initialRebalanceDelay = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokerCount, 16);
        LibrdkafkaLocator.EnsureRegistered();

        IntPtr conf = MockClusterNative.ConfNew();
        var errorText = new byte[ErrorTextSize];

        // The handle only hosts the mock cluster's threads; it never connects anywhere, so its log is silenced.
        _ = MockClusterNative.ConfSet(conf, "log_level", "0", errorText, ErrorTextSize);
        IntPtr kafka = MockClusterNative.KafkaNew(MockClusterNative.ProducerType, conf, errorText, ErrorTextSize);
        if (kafka == IntPtr.Zero)
        {
            throw new InvalidOperationException(
                $"Could not create the librdkafka handle for the embedded broker: {MockClusterNative.ReadError(errorText)}");
        }

        IntPtr cluster = MockClusterNative.ClusterNew(kafka, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            MockClusterNative.KafkaDestroy(kafka);
            throw new InvalidOperationException("librdkafka could not start the embedded mock cluster.");
        }

        int delayMs = (int)(initialRebalanceDelay ?? TimeSpan.FromMilliseconds(100)).TotalMilliseconds;
        MockClusterNative.GroupInitialRebalanceDelay(cluster, delayMs);

        // Without a controller the admin API's CreateTopics waits for one until it times out.
        _ = MockClusterNative.SetControllerId(cluster, 1);

        string bootstrapServers = Marshal.PtrToStringUTF8(MockClusterNative.ClusterBootstraps(cluster)) ?? string.Empty;
        return new EmbeddedKafkaCluster(kafka, cluster, brokerCount, bootstrapServers);
    }

    /// <summary>Creates a topic; creating one that exists is not an error.</summary>
    public void CreateTopic(string topic, int partitionCount, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);

        int error = Invoke(c => MockClusterNative.TopicCreate(c, topic, partitionCount, replicationFactor));
        if (error != (int)ErrorCode.TopicAlreadyExists)
        {
            ThrowOnError(error, $"create topic '{topic}'");
        }
    }

    /// <summary>Takes a broker offline: its connections are closed and new ones are refused until it is up.</summary>
    public void SetBrokerDown(int brokerId) =>
        ThrowOnError(Invoke(c => MockClusterNative.BrokerSetDown(c, brokerId)), $"take broker {brokerId} down");

    /// <summary>Brings a broker taken down by <see cref="SetBrokerDown"/> back online.</summary>
    public void SetBrokerUp(int brokerId) =>
        ThrowOnError(Invoke(c => MockClusterNative.BrokerSetUp(c, brokerId)), $"bring broker {brokerId} up");

    /// <summary>Sets the round-trip time a broker adds to every response.</summary>
    public void SetBrokerRoundTrip(int brokerId, TimeSpan roundTrip)
    {
        int error = Invoke(c => MockClusterNative.BrokerSetRtt(c, brokerId, (int)roundTrip.TotalMilliseconds));
        ThrowOnError(error, $"set the round-trip time of broker {brokerId}");
    }

    /// <summary>
    /// Makes the next requests of one Kafka API (for example 0 for Produce) fail with the given errors, one
    /// error per request, in order.
    /// </summary>
    public void PushRequestErrors(short apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        int[] codes = Array.ConvertAll(errors, e => (int)e);
        Invoke(c =>
        {
            MockClusterNative.PushRequestErrors(c, apiKey, (UIntPtr)codes.Length, codes);
            return 0;
        });
    }

    /// <summary>Removes the errors queued by <see cref="PushRequestErrors"/> for one API.</summary>
    public void ClearRequestErrors(short apiKey) =>
        Invoke(c =>
        {
            MockClusterNative.ClearRequestErrors(c, apiKey);
            return 0;
        });

    /// <summary>Stops the brokers and closes their connections; clients still attached see a broker failure.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (cluster != IntPtr.Zero)
            {
                MockClusterNative.ClusterDestroy(cluster);
                cluster = IntPtr.Zero;
            }

            if (kafka != IntPtr.Zero)
            {
                MockClusterNative.KafkaDestroy(kafka);
                kafka = IntPtr.Zero;
            }
        }
    }

    private int Invoke(Func<IntPtr, int> call)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(cluster == IntPtr.Zero, this);
            return call(cluster);
        }
    }

    private static void ThrowOnError(int error, string action)
    {
        if (error != 0)
        {
            var code = (ErrorCode)error;
            throw new KafkaException(new Error(code, $"Embedded broker could not {action}: {code}."));
        }
    }
}
