using Confluent.Kafka;
using GanStream.Pipeline.Kafka.Embedded;
using GanStream.Tests.Support;

namespace GanStream.Tests.Broker;

[Trait(TestCategories.Name, TestCategories.Broker)]
public sealed class EmbeddedKafkaClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void Start_ReturnsLoopbackBootstrapServers()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokerCount: 3);

        string[] servers = cluster.BootstrapServers.Split(',');

        Assert.Equal(3, servers.Length);
        Assert.All(servers, server => Assert.StartsWith("127.0.0.1:", server, StringComparison.Ordinal));
    }

    [Fact]
    public void ProduceAndConsume_KeyedMessages_RoundTripInOrderPerKey()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("orders", partitionCount: 4);

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true }).Build())
        {
            for (int i = 0; i < 100; i++)
            {
                producer.Produce("orders", new Message<string, string> { Key = $"camera-{i % 3}", Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            Assert.Equal(0, producer.Flush(Timeout));
        }

        var received = new Dictionary<string, List<int>>();
        var config = new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "reader", AutoOffsetReset = AutoOffsetReset.Earliest };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("orders");
        var deadline = DateTime.UtcNow + Timeout;
        int count = 0;
        while (count < 100 && DateTime.UtcNow < deadline)
        {
            ConsumeResult<string, string>? record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null)
            {
                continue;
            }

            count++;
            received.TryAdd(record.Message.Key, []);
            received[record.Message.Key].Add(int.Parse(record.Message.Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        consumer.Close();
        Assert.Equal(100, count);
        Assert.Equal(3, received.Count);
        Assert.All(received.Values, values => Assert.Equal(values.Order(), values));
    }

    [Fact]
    public void CreateTopic_Twice_IsNotAnError()
    {
        using var cluster = EmbeddedKafkaCluster.Start();

        cluster.CreateTopic("twice", 2);
        Exception? second = Record.Exception(() => cluster.CreateTopic("twice", 2));

        Assert.Null(second);
    }

    [Fact]
    public void SetBrokerDown_UnknownBroker_Throws()
    {
        using var cluster = EmbeddedKafkaCluster.Start();

        var exception = Assert.Throws<KafkaException>(() => cluster.SetBrokerDown(42));

        Assert.Contains("broker 42", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_ThenCreateTopic_ThrowsObjectDisposed()
    {
        var cluster = EmbeddedKafkaCluster.Start();
        cluster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("late", 1));
    }
}
