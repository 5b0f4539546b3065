namespace GanStream.Pipeline.Kafka;

/// <summary>Connection and security settings shared by every Kafka client of a service (section <c>Kafka</c>).</summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary>
    /// Comma-separated <c>host:port</c> list of brokers. Empty (the default) starts the embedded broker inside the
    /// process, which only clients in the same process or on the same machine can reach.
    /// </summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Kafka <c>security.protocol</c>: Plaintext (default), Ssl, SaslPlaintext or SaslSsl.</summary>
    public string SecurityProtocol { get; set; } = "Plaintext";

    /// <summary>SASL mechanism, for example PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; empty when SASL is off.</summary>
    public string? SaslMechanism { get; set; }

    public string? SaslUsername { get; set; }

    /// <summary>SASL password; read from configuration or the environment and never written to logs.</summary>
    public string? SaslPassword { get; set; }

    /// <summary>Path of the CA certificate file (PEM) that signed the brokers' certificates.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>Path of the client certificate (PEM) for mutual TLS.</summary>
    public string? SslCertificateLocation { get; set; }

    /// <summary>Path of the client private key (PEM) for mutual TLS.</summary>
    public string? SslKeyLocation { get; set; }

    /// <summary>Password of the client private key; never written to logs.</summary>
    public string? SslKeyPassword { get; set; }

    /// <summary>
    /// Further librdkafka properties passed to every client unchanged, for example
    /// <c>Kafka:Config:socket.keepalive.enable=true</c>. They override the settings above.
    /// </summary>
    public Dictionary<string, string> Config { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Number of partitions given to topics that the service creates. Default 4.</summary>
    public int TopicPartitions { get; set; } = 4;

    /// <summary>Number of brokers of the embedded cluster, when no bootstrap servers are given. Default 1.</summary>
    public int EmbeddedBrokerCount { get; set; } = 1;

    /// <summary>True when no bootstrap servers are configured and the embedded broker is used.</summary>
    public bool UsesEmbeddedBroker => string.IsNullOrWhiteSpace(BootstrapServers);
}
