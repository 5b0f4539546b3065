using Confluent.Kafka;

namespace GanStream.Pipeline.Kafka;

/// <summary>Builds Confluent.Kafka client configurations from <see cref="KafkaOptions"/>.</summary>
public static class KafkaClientConfigFactory
{
    /// <summary>Text written in place of a secret.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>Copies connection, security and pass-through settings into <paramref name="config"/>.</summary>
    /// <param name="config">Producer, consumer or admin configuration to fill.</param>
    /// <param name="options">Configured settings.</param>
    /// <param name="bootstrapServers">Brokers to use: the configured list, or the embedded cluster's.</param>
    public static T Apply<T>(T config, KafkaOptions options, string bootstrapServers)
        where T : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);

        config.BootstrapServers = bootstrapServers;
        config.SecurityProtocol = ParseSecurityProtocol(options.SecurityProtocol);

        if (!string.IsNullOrWhiteSpace(options.SaslMechanism))
        {
            config.SaslMechanism = ParseSaslMechanism(options.SaslMechanism);
            config.SaslUsername = options.SaslUsername;
            config.SaslPassword = options.SaslPassword;
        }

        config.SslCaLocation = NullIfEmpty(options.SslCaLocation);
        config.SslCertificateLocation = NullIfEmpty(options.SslCertificateLocation);
        config.SslKeyLocation = NullIfEmpty(options.SslKeyLocation);
        config.SslKeyPassword = NullIfEmpty(options.SslKeyPassword);

        foreach ((string key, string value) in options.Config)
        {
            config.Set(key, value);
        }

        return config;
    }

    /// <summary>
    /// Renders the pass-through librdkafka settings of <paramref name="options"/> for a log line, with the value of
    /// every property that can hold a secret replaced by <see cref="Redacted"/>.
    /// </summary>
    public static string DescribeConfig(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Config.Count == 0)
        {
            return "none";
        }

        return string.Join(
            ", ",
            options.Config
                .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => $"{pair.Key}={(IsSensitive(pair.Key) ? Redacted : pair.Value)}"));
    }

    /// <summary>
    /// True for librdkafka properties whose value can be a secret: passwords, keys, JAAS and OAUTHBEARER settings,
    /// PEM certificates and keys given inline, and keystores.
    /// </summary>
    public static bool IsSensitive(string propertyName)
    {
        ArgumentNullException.ThrowIfNull(propertyName);
        string[] markers = ["password", "secret", "jaas", "oauthbearer", "token", ".pem", "keystore", "key"];
        return markers.Any(marker => propertyName.Contains(marker, StringComparison.OrdinalIgnoreCase));
    }

    private static SecurityProtocol ParseSecurityProtocol(string value)
    {
        string normalized = value.Replace("_", string.Empty, StringComparison.Ordinal);
        if (Enum.TryParse(normalized, ignoreCase: true, out SecurityProtocol protocol))
        {
            return protocol;
        }

        throw new ArgumentException(
            $"Kafka:SecurityProtocol '{value}' is invalid; use Plaintext, Ssl, SaslPlaintext or SaslSsl.",
            nameof(value));
    }

    private static SaslMechanism ParseSaslMechanism(string value)
    {
        string normalized = value.Replace("-", string.Empty, StringComparison.Ordinal);
        if (Enum.TryParse(normalized, ignoreCase: true, out SaslMechanism mechanism))
        {
            return mechanism;
        }

        throw new ArgumentException(
            $"Kafka:SaslMechanism '{value}' is invalid; use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, GSSAPI or OAUTHBEARER.",
            nameof(value));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
