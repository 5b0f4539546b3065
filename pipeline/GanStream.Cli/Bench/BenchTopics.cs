using GanStream.Pipeline.Kafka.Embedded;

namespace GanStream.Cli.Bench;

/// <summary>Topics of one load point, so that no run reads another run's messages.</summary>
internal sealed record BenchTopics(string Prefix)
{
    /// <summary>One partition per topic: the bench streams one camera, whose messages share a key anyway.</summary>
    public const int Partitions = 1;

    public string Features => $"{Prefix}.features";

    public string Results => $"{Prefix}.results";

    public string DeadLetter => $"{Prefix}.features.dlq";

    /// <summary>Creates the topics on the embedded broker, which does not take CreateTopics from other processes.</summary>
    public void Create(EmbeddedKafkaCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        cluster.CreateTopic(Features, Partitions);
        cluster.CreateTopic(Results, Partitions);
        cluster.CreateTopic(DeadLetter, Partitions);
    }
}
