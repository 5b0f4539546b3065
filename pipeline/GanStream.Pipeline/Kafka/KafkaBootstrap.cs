using GanStream.Pipeline.Kafka.Embedded;
using Microsoft.Extensions.Logging;

namespace GanStream.Pipeline.Kafka;

/// <summary>
/// The brokers a process talks to: the configured bootstrap servers, or an embedded cluster started on demand and
/// owned by this object.
/// </summary>
public sealed class KafkaBootstrap : IDisposable
{
    private readonly EmbeddedKafkaCluster? ownedCluster;

    private KafkaBootstrap(string bootstrapServers, EmbeddedKafkaCluster? embedded, bool ownsEmbedded)
    {
        BootstrapServers = bootstrapServers;
        Embedded = embedded;
        ownedCluster = ownsEmbedded ? embedded : null;
    }

    public string BootstrapServers { get; }

    /// <summary>The embedded cluster, when the process uses one; null with an external Kafka.</summary>
    public EmbeddedKafkaCluster? Embedded { get; }

    /// <summary>Uses the configured brokers, or starts an embedded cluster when none are configured.</summary>
    public static KafkaBootstrap Create(KafkaOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);

        KafkaLog.ClientSettings(
            logger,
            options.SecurityProtocol,
            string.IsNullOrWhiteSpace(options.SaslMechanism) ? "none" : options.SaslMechanism,
            string.IsNullOrWhiteSpace(options.SaslUsername) ? "none" : options.SaslUsername,
            string.IsNullOrWhiteSpace(options.SslCaLocation) ? "none" : options.SslCaLocation,
            KafkaClientConfigFactory.DescribeConfig(options));

        if (!options.UsesEmbeddedBroker)
        {
            KafkaLog.UsingExternalBrokers(logger, options.BootstrapServers!);
            return new KafkaBootstrap(options.BootstrapServers!, null, ownsEmbedded: false);
        }

        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.Start(options.EmbeddedBrokerCount);
        KafkaLog.EmbeddedBrokerStarted(logger, cluster.BootstrapServers, cluster.BrokerCount);
        return new KafkaBootstrap(cluster.BootstrapServers, cluster, ownsEmbedded: true);
    }

    /// <summary>Uses a cluster that the caller started and keeps owning, for example in tests.</summary>
    public static KafkaBootstrap ForEmbedded(EmbeddedKafkaCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return new KafkaBootstrap(cluster.BootstrapServers, cluster, ownsEmbedded: false);
    }

    /// <summary>Uses brokers that are already running.</summary>
    public static KafkaBootstrap ForServers(string bootstrapServers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        return new KafkaBootstrap(bootstrapServers, null, ownsEmbedded: false);
    }

    /// <summary>
    /// Stands in where no broker is in the path (edge-only mode), so that nothing starts an embedded one; a client
    /// built on it has no server to reach.
    /// </summary>
    public static KafkaBootstrap None { get; } = new(string.Empty, null, ownsEmbedded: false);

    public void Dispose() => ownedCluster?.Dispose();
}
