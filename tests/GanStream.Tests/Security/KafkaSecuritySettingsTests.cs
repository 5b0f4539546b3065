using Confluent.Kafka;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Kafka;
using GanStream.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GanStream.Tests.Security;

/// <summary>TLS and SASL settings reach every Kafka client, from configuration files and from the environment.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
[Collection(EnvironmentCollection.Name)]
public sealed class KafkaSecuritySettingsTests
{
    [Fact]
    public void Apply_SaslSslSettings_ReachTheClientConfig()
    {
        var options = new KafkaOptions
        {
            SecurityProtocol = "SASL_SSL",
            SaslMechanism = "SCRAM-SHA-512",
            SaslUsername = "edge-7",
            SaslPassword = "s3cret",
            SslCaLocation = "/etc/kafka/ca.pem",
            SslCertificateLocation = "/etc/kafka/client.pem",
            SslKeyLocation = "/etc/kafka/client.key",
            SslKeyPassword = "keypass",
        };

        ProducerConfig config = KafkaClientConfigFactory.Apply(new ProducerConfig(), options, "kafka-1:9093");

        Assert.Equal("kafka-1:9093", config.BootstrapServers);
        Assert.Equal(SecurityProtocol.SaslSsl, config.SecurityProtocol);
        Assert.Equal(SaslMechanism.ScramSha512, config.SaslMechanism);
        Assert.Equal("edge-7", config.SaslUsername);
        Assert.Equal("s3cret", config.SaslPassword);
        Assert.Equal("/etc/kafka/ca.pem", config.SslCaLocation);
        Assert.Equal("/etc/kafka/client.pem", config.SslCertificateLocation);
        Assert.Equal("/etc/kafka/client.key", config.SslKeyLocation);
        Assert.Equal("keypass", config.SslKeyPassword);
    }

    [Fact]
    public void Apply_PassThroughSetting_OverridesTheTypedOne()
    {
        var options = new KafkaOptions { SecurityProtocol = "Ssl" };
        options.Config["security.protocol"] = "plaintext";
        options.Config["ssl.endpoint.identification.algorithm"] = "none";

        ConsumerConfig config = KafkaClientConfigFactory.Apply(new ConsumerConfig(), options, "kafka:9092");

        Assert.Equal(SecurityProtocol.Plaintext, config.SecurityProtocol);
        Assert.Equal(SslEndpointIdentificationAlgorithm.None, config.SslEndpointIdentificationAlgorithm);
    }

    [Theory]
    [InlineData("Tls13", "Kafka:SecurityProtocol")]
    public void Apply_InvalidSecurityProtocol_NamesTheKey(string value, string key)
    {
        var options = new KafkaOptions { SecurityProtocol = value };

        var exception = Assert.Throws<ArgumentException>(() => KafkaClientConfigFactory.Apply(new ProducerConfig(), options, "kafka:9092"));

        Assert.Contains(key, exception.Message, StringComparison.Ordinal);
        Assert.Contains(value, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DescribeConfig_SecretProperties_AreRedacted()
    {
        var options = new KafkaOptions();
        options.Config["sasl.oauthbearer.client.secret"] = "oauth-secret-value";
        options.Config["ssl.key.pem"] = "-----BEGIN PRIVATE KEY-----abc";
        options.Config["sasl.jaas.config"] = "org.apache.kafka... password=\"jaas-pass\";";
        options.Config["socket.keepalive.enable"] = "true";

        string described = KafkaClientConfigFactory.DescribeConfig(options);

        Assert.DoesNotContain("oauth-secret-value", described, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN PRIVATE KEY", described, StringComparison.Ordinal);
        Assert.DoesNotContain("jaas-pass", described, StringComparison.Ordinal);
        Assert.Contains("socket.keepalive.enable=true", described, StringComparison.Ordinal);
        Assert.Contains($"sasl.jaas.config={KafkaClientConfigFactory.Redacted}", described, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceHost_EnvironmentVariables_SetKafkaSecurityOptions()
    {
        var variables = new Dictionary<string, string>
        {
            ["GANSTREAM_Kafka__SecurityProtocol"] = "SaslSsl",
            ["GANSTREAM_Kafka__SaslMechanism"] = "PLAIN",
            ["GANSTREAM_Kafka__SaslUsername"] = "from-env",
            ["GANSTREAM_Kafka__SaslPassword"] = "env-password",
            ["GANSTREAM_Kafka__SslCaLocation"] = "/run/secrets/ca.pem",
            ["GANSTREAM_Kafka__Config__ssl.endpoint.identification.algorithm"] = "https",
        };

        using (EnvironmentCollection.Set(variables))
        {
            await using WebApplication app = ServiceHost.Build(new HostSettings(), _ => { });
            KafkaOptions options = app.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
            ClientConfig config = KafkaClientConfigFactory.Apply(new ClientConfig(), options, "kafka:9093");

            Assert.Equal(SecurityProtocol.SaslSsl, config.SecurityProtocol);
            Assert.Equal(SaslMechanism.Plain, config.SaslMechanism);
            Assert.Equal("from-env", config.SaslUsername);
            Assert.Equal("env-password", config.SaslPassword);
            Assert.Equal("/run/secrets/ca.pem", config.SslCaLocation);
            Assert.Equal("https", config.Get("ssl.endpoint.identification.algorithm"));
        }
    }

    [Fact]
    public async Task ServiceHost_CommandLineOverride_BeatsEnvironment()
    {
        var variables = new Dictionary<string, string> { ["GANSTREAM_Kafka__SaslUsername"] = "from-env" };
        var settings = new HostSettings();
        settings.Set("Kafka:SaslUsername", "from-option");

        using (EnvironmentCollection.Set(variables))
        {
            await using WebApplication app = ServiceHost.Build(settings, _ => { });
            KafkaOptions options = app.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;

            Assert.Equal("from-option", options.SaslUsername);
        }
    }
}
