using System.Globalization;
using System.Text.Json;
using GanStream.Pipeline.Logging;
using Microsoft.Extensions.Logging;

namespace GanStream.Cloud.Consuming;

/// <summary>
/// Exports the lag of the partitions one consumer is assigned as <c>ganstream_cloud_consumer_lag_messages</c>, and
/// removes the series of partitions it no longer has, so that a revoked partition is reported only by its new owner.
/// Called on the consumer's poll thread; thread-safe all the same.
/// </summary>
public sealed class ConsumerLagExporter
{
    private readonly ILogger logger;
    private readonly LogThrottle warnings = new(TimeSpan.FromMinutes(1));
    private readonly Lock gate = new();
    private readonly HashSet<(string Topic, string Partition)> exported = [];

    public ConsumerLagExporter(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        this.logger = logger;
    }

    /// <summary>Updates the series from one statistics JSON document; an unreadable one is logged.</summary>
    public void Update(string statisticsJson)
    {
        IReadOnlyList<PartitionLag> lags;
        try
        {
            lags = ConsumerLagStatistics.Parse(statisticsJson);
        }
        catch (JsonException exception)
        {
            if (warnings.TryAcquire("consumer-lag", out _))
            {
                ConsumerLagLog.StatisticsUnreadable(logger, exception.Message);
            }

            return;
        }

        lock (gate)
        {
            var current = new HashSet<(string Topic, string Partition)>();
            foreach (PartitionLag lag in lags)
            {
                string partition = lag.Partition.ToString(CultureInfo.InvariantCulture);
                current.Add((lag.Topic, partition));
                CloudMetrics.ConsumerLag.WithLabels(lag.Topic, partition).Set(lag.Messages);
            }

            RemoveAllExcept(current);
        }
    }

    /// <summary>Removes every series this exporter created, when its consumer closes.</summary>
    public void Clear()
    {
        lock (gate)
        {
            RemoveAllExcept([]);
        }
    }

    private void RemoveAllExcept(HashSet<(string Topic, string Partition)> current)
    {
        foreach ((string topic, string partition) in exported.Except(current).ToList())
        {
            CloudMetrics.ConsumerLag.RemoveLabelled(topic, partition);
        }

        exported.Clear();
        exported.UnionWith(current);
    }
}
