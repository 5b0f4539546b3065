using GanStream.Tests.Support;

namespace GanStream.Tests.Security;

/// <summary>
/// A run configured with a SASL password and an SSL key password, from the environment and a configuration file,
/// with librdkafka's debug output on: the secrets appear nowhere in what the process writes.
/// </summary>
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class SecretLoggingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Run_WithSaslAndKeyPasswords_NeverWritesThem()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        string saslPassword = $"sasl-{Guid.NewGuid():N}";
        string keyPassword = $"key-{Guid.NewGuid():N}";
        string jaasSecret = $"jaas-{Guid.NewGuid():N}";
        string folder = TestPaths.CreateTemporaryFolder();
        string config = Path.Combine(folder, "secrets.json");
        await File.WriteAllTextAsync(
            config,
            $$"""{ "Kafka": { "SslKeyPassword": "{{keyPassword}}", "Config": { "sasl.oauthbearer.client.secret": "{{jaasSecret}}" } } }""",
            cancellationToken);
        var environment = new Dictionary<string, string>
        {
            ["GANSTREAM_Kafka__SecurityProtocol"] = "SaslPlaintext",
            ["GANSTREAM_Kafka__SaslMechanism"] = "PLAIN",
            ["GANSTREAM_Kafka__SaslUsername"] = "edge-user",
            ["GANSTREAM_Kafka__SaslPassword"] = saslPassword,
            ["GANSTREAM_Kafka__Config__debug"] = "all",
        };

        using CliProcess run = CliProcess.Start(
        [
            "run",
            "--input", TestPaths.SampleClip,
            "--max-frames", "2",
            "--model", "esrgan-slim-x4",
            "--model-repository", TestPaths.Models,
            "--output", folder,
            "--metrics-url", "http://127.0.0.1:0",
            "--config", config,
        ],
        environment);

        // The embedded broker has no SASL, so the clients keep failing to authenticate, and log why, until stopped.
        await run.WaitForLineAsync("SASL", Timeout, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
        if (!run.HasExited)
        {
            run.Terminate();
        }

        await run.WaitForExitAsync(Timeout, cancellationToken);
        string written = run.Output;
        output.WriteLine($"{run.Lines.Count} lines written");

        Assert.DoesNotContain(saslPassword, written, StringComparison.Ordinal);
        Assert.DoesNotContain(keyPassword, written, StringComparison.Ordinal);
        Assert.DoesNotContain(jaasSecret, written, StringComparison.Ordinal);
        Assert.Contains(
            run.Lines,
            line => line.Contains("librdkafka", StringComparison.Ordinal) && line.Contains("SASL", StringComparison.Ordinal));
        Assert.Contains(run.Lines, line => line.Contains("SASL user edge-user", StringComparison.Ordinal));
        Assert.Contains(run.Lines, line => line.Contains("sasl.oauthbearer.client.secret=[redacted]", StringComparison.Ordinal));
    }
}
