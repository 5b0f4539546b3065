using DotNet.Testcontainers.Configurations;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Kafka.Embedded;
using Testcontainers.Kafka;

[assembly: AssemblyFixture(typeof(GanStream.Tests.Support.KafkaTestBroker))]

namespace GanStream.Tests.Support;

/// <summary>
/// The broker the Kafka tests share, chosen in this order: the brokers named by the environment variable
/// <c>GANSTREAM_TEST_BOOTSTRAP_SERVERS</c>, a Kafka container from Testcontainers when a container engine answers,
/// else the embedded broker. Each test class reports which one it runs against.
/// </summary>
public sealed class KafkaTestBroker : IAsyncLifetime
{
    public const string EnvironmentVariable = "GANSTREAM_TEST_BOOTSTRAP_SERVERS";
    private const string KafkaImage = "confluentinc/cp-kafka:7.6.1";

    private KafkaContainer? container;

    public string BootstrapServers { get; private set; } = string.Empty;

    /// <summary><c>external</c>, <c>testcontainers</c> or <c>embedded</c>.</summary>
    public string Kind { get; private set; } = string.Empty;

    /// <summary>The embedded cluster, which can inject faults; null with the other kinds.</summary>
    public EmbeddedKafkaCluster? Embedded { get; private set; }

    public string Description => $"{Kind} Kafka at {BootstrapServers}";

    public async ValueTask InitializeAsync()
    {
        string? external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            BootstrapServers = external;
            Kind = "external";
            return;
        }

        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is not null)
        {
            container = new KafkaBuilder(KafkaImage).Build();
            await container.StartAsync();
            BootstrapServers = container.GetBootstrapAddress();
            Kind = "testcontainers";
            return;
        }

        Embedded = EmbeddedKafkaCluster.Start(brokerCount: 1);
        BootstrapServers = Embedded.BootstrapServers;
        Kind = "embedded";
    }

    /// <summary>
    /// Starts an embedded cluster for one test that injects faults into it (takes the broker down, adds errors or
    /// round-trip time), so that the other tests sharing <see cref="BootstrapServers"/> are not disturbed. Fault
    /// injection needs librdkafka's mock cluster: when it cannot start here, the test is skipped with the reason.
    /// </summary>
    public static EmbeddedKafkaCluster StartFaultCluster()
    {
        try
        {
            return EmbeddedKafkaCluster.Start(brokerCount: 1);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            Assert.Skip($"Fault injection needs librdkafka's embedded mock cluster, which could not start: {exception.Message}");
            throw;
        }
    }

    /// <summary>Connection settings for the services under test.</summary>
    public KafkaBootstrap CreateBootstrap() =>
        Embedded is not null ? KafkaBootstrap.ForEmbedded(Embedded) : KafkaBootstrap.ForServers(BootstrapServers);

    /// <summary>Topic names unique to one test, so tests sharing the broker do not see each other's messages.</summary>
    public static TopicOptions UniqueTopics()
    {
        string id = Guid.NewGuid().ToString("N")[..12];
        return new TopicOptions
        {
            Features = $"ganstream.t{id}.features",
            Results = $"ganstream.t{id}.results",
            DeadLetter = $"ganstream.t{id}.dlq",
        };
    }

    public async ValueTask DisposeAsync()
    {
        Embedded?.Dispose();
        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }
}
