using System.Globalization;
using System.Text.Json;

namespace GanStream.Cloud.Consuming;

/// <summary>
/// Reads the lag of each assigned partition from the statistics JSON that librdkafka emits every
/// <c>statistics.interval.ms</c> (fields as documented in librdkafka's STATISTICS.md).
/// </summary>
public static class ConsumerLagStatistics
{
    /// <summary>
    /// Returns the lag of every partition this consumer is assigned (<c>desired</c> is true). The lag is
    /// <c>consumer_lag_stored</c>, the messages after the last offset stored for commit, which here are the messages
    /// without an acknowledged reply. Before the first offset is stored it is <c>consumer_lag</c>, the messages not
    /// yet read. Partitions whose lag librdkafka does not know yet (-1) and its internal partition -1 are left out.
    /// </summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static IReadOnlyList<PartitionLag> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument document = JsonDocument.Parse(json);
        var lags = new List<PartitionLag>();
        if (!document.RootElement.TryGetProperty("topics", out JsonElement topics) ||
            topics.ValueKind != JsonValueKind.Object)
        {
            return lags;
        }

        foreach (JsonProperty topic in topics.EnumerateObject())
        {
            if (!topic.Value.TryGetProperty("partitions", out JsonElement partitions) ||
                partitions.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (JsonProperty partition in partitions.EnumerateObject())
            {
                if (TryReadLag(partition, out int id, out long lag))
                {
                    lags.Add(new PartitionLag(topic.Name, id, lag));
                }
            }
        }

        return lags;
    }

    private static bool TryReadLag(JsonProperty partition, out int id, out long lag)
    {
        lag = -1;
        if (!int.TryParse(partition.Name, NumberStyles.Integer, CultureInfo.InvariantCulture, out id) || id < 0)
        {
            return false;
        }

        JsonElement value = partition.Value;
        if (!value.TryGetProperty("desired", out JsonElement desired) || desired.ValueKind != JsonValueKind.True)
        {
            return false;
        }

        lag = ReadInt64(value, "consumer_lag_stored");
        if (lag < 0)
        {
            lag = ReadInt64(value, "consumer_lag");
        }

        return lag >= 0;
    }

    private static long ReadInt64(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.TryGetInt64(out long number) ? number : -1;
}
