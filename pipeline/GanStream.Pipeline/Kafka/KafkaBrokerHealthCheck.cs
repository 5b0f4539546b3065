using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GanStream.Pipeline.Kafka;

/// <summary>
/// Readiness of the connection to Kafka: healthy when a broker responds to a metadata request within
/// <see cref="MetadataTimeout"/>. One admin client serves every check, so register this type as a singleton and the
/// container disposes it.
/// </summary>
public sealed class KafkaBrokerHealthCheck : IHealthCheck, IDisposable
{
    /// <summary>Time a broker has to respond to one check.</summary>
    public static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(3);

    private readonly Lazy<IAdminClient> admin;
    private readonly string bootstrapServers;

    public KafkaBrokerHealthCheck(KafkaBootstrap bootstrap, IOptions<KafkaOptions> options)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(options);

        bootstrapServers = bootstrap.BootstrapServers;
        KafkaOptions kafka = options.Value;
        admin = new Lazy<IAdminClient>(() => CreateAdminClient(kafka, bootstrap.BootstrapServers));
    }

    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        Metadata metadata;
        try
        {
            // GetMetadata blocks for up to the timeout, so it runs off the request thread.
            metadata = await Task.Run(() => admin.Value.GetMetadata(MetadataTimeout), cancellationToken);
        }
        catch (KafkaException exception)
        {
            return HealthCheckResult.Unhealthy(
                $"No Kafka broker at {bootstrapServers} responded within {MetadataTimeout.TotalSeconds:F0} s: " +
                exception.Error.Reason);
        }

        if (metadata.Brokers.Count == 0)
        {
            return HealthCheckResult.Unhealthy($"The Kafka cluster at {bootstrapServers} listed no brokers.");
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["brokers"] = metadata.Brokers.Count,
            ["originatingBrokerId"] = metadata.OriginatingBrokerId,
        };
        return HealthCheckResult.Healthy($"{metadata.Brokers.Count} Kafka broker(s) answered.", data);
    }

    public void Dispose()
    {
        if (admin.IsValueCreated)
        {
            admin.Value.Dispose();
        }
    }

    private static IAdminClient CreateAdminClient(KafkaOptions options, string bootstrapServers)
    {
        var config = KafkaClientConfigFactory.Apply(new AdminClientConfig(), options, bootstrapServers);
        config.SocketTimeoutMs = (int)MetadataTimeout.TotalMilliseconds;

        // The check's result carries the failure; librdkafka's own connection messages would repeat it every retry.
        return new AdminClientBuilder(config)
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
    }
}
