using GanStream.Cloud;
using GanStream.Cloud.Health;
using GanStream.Edge;
using GanStream.Edge.Health;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Models;
using GanStream.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GanStream.Tests.Health;

public sealed class HealthCheckTests(KafkaTestBroker broker)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Unit)]
    public async Task KafkaBroker_NothingListening_Unhealthy()
    {
        int port = PrometheusTools.FreeLoopbackPort();
        using var check = new KafkaBrokerHealthCheck(
            KafkaBootstrap.ForServers($"127.0.0.1:{port}"),
            Options.Create(new KafkaOptions { BootstrapServers = $"127.0.0.1:{port}" }));
        using var timeout = new CancellationTokenSource(Timeout);

        HealthCheckResult result = await check.CheckHealthAsync(new HealthCheckContext(), timeout.Token);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains($"127.0.0.1:{port}", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Broker)]
    public async Task KafkaBroker_Running_Healthy()
    {
        using var bootstrap = broker.CreateBootstrap();
        var options = Options.Create(new KafkaOptions { BootstrapServers = broker.BootstrapServers });
        using var check = new KafkaBrokerHealthCheck(bootstrap, options);
        using var timeout = new CancellationTokenSource(Timeout);

        HealthCheckResult result = await check.CheckHealthAsync(new HealthCheckContext(), timeout.Token);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.True((int)result.Data["brokers"] >= 1);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Unit)]
    public async Task SynthesisWorker_NotStarted_Unhealthy()
    {
        using var models = CreateModels();
        var worker = new SynthesisWorker(
            Options.Create(new CloudOptions()),
            Options.Create(new KafkaOptions()),
            Options.Create(new TopicOptions()),
            KafkaBootstrap.ForServers("127.0.0.1:9"),
            models,
            NullLogger<SynthesisWorker>.Instance);
        var check = new SynthesisWorkerHealthCheck(worker);

        HealthCheckResult result = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Null(worker.ReadyModel);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Unit)]
    public async Task EdgeCameras_NotStarted_UnhealthyWithCount()
    {
        using var models = CreateModels();
        var options = new EdgeOptions { Cameras = [new CameraOptions { Id = "gate", Source = TestPaths.SampleClip }] };
        var edge = new EdgeIngestService(
            Options.Create(options),
            Options.Create(new KafkaOptions()),
            Options.Create(new TopicOptions()),
            KafkaBootstrap.ForServers("127.0.0.1:9"),
            models,
            NullLogger<EdgeIngestService>.Instance);
        var check = new EdgeCamerasHealthCheck(edge, Options.Create(options));

        HealthCheckResult result = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("0 of 1 cameras opened; 1 still opening or reconnecting.", result.Description);
    }

    private static ModelRepository CreateModels() =>
        new(
            new ModelRepositoryOptions { Path = TestPaths.Models, DefaultModel = "esrgan-slim-x4" },
            new InferenceOptions(),
            NullLogger<ModelRepository>.Instance);
}
