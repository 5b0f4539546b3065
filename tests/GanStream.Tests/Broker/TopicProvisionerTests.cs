using Confluent.Kafka;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Kafka.Embedded;
using GanStream.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanStream.Tests.Broker;

[Trait(TestCategories.Name, TestCategories.Broker)]
public sealed class TopicProvisionerTests
{
    [Fact]
    public async Task EnsureTopics_EmbeddedCluster_CreatesTopicsWithConfiguredPartitions()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        var options = new KafkaOptions { TopicPartitions = 3 };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await TopicProvisioner.EnsureTopicsAsync(KafkaBootstrap.ForEmbedded(cluster), options, ["created.a", "created.b"], NullLogger.Instance, timeout.Token);

        Assert.Equal(3, PartitionCount(cluster.BootstrapServers, "created.a"));
        Assert.Equal(3, PartitionCount(cluster.BootstrapServers, "created.b"));
    }

    [Fact]
    public async Task EnsureTopics_BrokerWithoutCreateTopics_FallsBackToAutoCreation()
    {
        // Reached only through its address, the mock cluster has no CreateTopics API and auto-creates topics instead.
        using var cluster = EmbeddedKafkaCluster.Start();
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await TopicProvisioner.EnsureTopicsAsync(KafkaBootstrap.ForServers(cluster.BootstrapServers), options, ["auto.a"], NullLogger.Instance, timeout.Token);

        Assert.True(PartitionCount(cluster.BootstrapServers, "auto.a") > 0);
    }

    private static int PartitionCount(string bootstrapServers, string topic)
    {
        using IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        Metadata metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        return metadata.Topics.Single(t => t.Topic == topic).Partitions.Count;
    }
}
