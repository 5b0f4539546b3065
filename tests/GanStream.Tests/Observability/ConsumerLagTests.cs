using GanStream.Cloud;
using GanStream.Cloud.Consuming;
using GanStream.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanStream.Tests.Observability;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ConsumerLagTests
{
    [Fact]
    public void Parse_LibrdkafkaStatistics_ReturnsLagOfAssignedPartitions()
    {
        string json = Statistics(
            "lag.features",
            ("-1", true, -1, -1),
            ("0", true, 12, 15),
            ("1", true, -1, 7),
            ("2", false, 3, 3),
            ("3", true, -1, -1));

        IReadOnlyList<PartitionLag> lags = ConsumerLagStatistics.Parse(json);

        Assert.Equal([new PartitionLag("lag.features", 0, 12), new PartitionLag("lag.features", 1, 7)], lags);
    }

    [Fact]
    public void Parse_NoTopics_ReturnsNothing()
    {
        Assert.Empty(ConsumerLagStatistics.Parse("""{"name":"rdkafka#consumer-1","type":"consumer"}"""));
    }

    [Fact]
    public void Update_PartitionRevoked_RemovesItsSeries()
    {
        string topic = $"lag-{Guid.NewGuid():N}";
        var exporter = new ConsumerLagExporter(NullLogger.Instance);

        exporter.Update(Statistics(topic, ("0", true, 5, 5), ("1", true, 9, 9)));
        Assert.Equal(5, CloudMetrics.ConsumerLag.WithLabels(topic, "0").Value);
        Assert.Equal(9, CloudMetrics.ConsumerLag.WithLabels(topic, "1").Value);

        exporter.Update(Statistics(topic, ("0", true, 2, 2), ("1", false, 9, 9)));
        Assert.Equal(2, CloudMetrics.ConsumerLag.WithLabels(topic, "0").Value);
        Assert.DoesNotContain([topic, "1"], CloudMetrics.ConsumerLag.GetAllLabelValues());

        exporter.Clear();
        Assert.DoesNotContain(CloudMetrics.ConsumerLag.GetAllLabelValues(), labels => labels[0] == topic);
    }

    [Fact]
    public void Update_InvalidJson_KeepsSeries()
    {
        string topic = $"lag-{Guid.NewGuid():N}";
        var exporter = new ConsumerLagExporter(NullLogger.Instance);
        exporter.Update(Statistics(topic, ("0", true, 4, 4)));

        exporter.Update("{not json");

        Assert.Equal(4, CloudMetrics.ConsumerLag.WithLabels(topic, "0").Value);
        exporter.Clear();
    }

    /// <summary>
    /// A statistics document shaped like librdkafka's: per partition <c>desired</c>, <c>consumer_lag_stored</c> and
    /// <c>consumer_lag</c>, among other fields.
    /// </summary>
    private static string Statistics(string topic, params (string Id, bool Desired, long Stored, long Lag)[] partitions)
    {
        IEnumerable<string> entries = partitions.Select(p =>
            $$"""
            "{{p.Id}}": {"partition": {{p.Id}}, "broker": 1, "leader": 1, "desired": {{(p.Desired ? "true" : "false")}},
              "unknown": false, "fetch_state": "active", "hi_offset": 100, "committed_offset": 85,
              "consumer_lag_stored": {{p.Stored}}, "consumer_lag": {{p.Lag}}}
            """);
        string partitionObject = "{" + string.Join(",", entries) + "}";
        return $$"""
            {"name": "rdkafka#consumer-1", "type": "consumer", "ts": 1,
             "topics": {"{{topic}}": {"topic": "{{topic}}", "partitions": {{partitionObject}} } },
             "cgrp": {"state": "up"} }
            """;
    }
}
