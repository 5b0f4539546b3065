using Confluent.Kafka;
using GanStream.Cloud;
using GanStream.Pipeline.Hosting;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Messaging;
using GanStream.Pipeline.Models;
using GanStream.Schemas;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace GanStream.Tests.Support;

/// <summary>
/// One synthesis worker on the test broker, serving a model repository folder, with a producer that sends feature
/// messages as an edge does and a consumer that reads the results back by correlation id.
/// </summary>
public sealed class WorkerHarness : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly KafkaBootstrap bootstrap;
    private readonly TopicOptions topics = KafkaTestBroker.UniqueTopics();
    private readonly SynthesisWorker worker;
    private readonly StartGate assigned = new();
    private readonly IProducer<string, byte[]> producer;
    private readonly IConsumer<string, byte[]> results;
    private readonly Dictionary<string, SynthesisResult> received = new(StringComparer.Ordinal);
    private ulong sequence;

    private WorkerHarness(KafkaTestBroker broker, ModelRepository repository)
    {
        Repository = repository;
        bootstrap = broker.CreateBootstrap();
        var cloudOptions = new CloudOptions
        {
            GroupId = $"worker-test-{Guid.NewGuid():N}",
            MaxBatchDelay = TimeSpan.FromMilliseconds(50),
        };
        worker = new SynthesisWorker(
            Options.Create(cloudOptions),
            Options.Create(new KafkaOptions()),
            Options.Create(topics),
            bootstrap,
            repository,
            NullLogger<SynthesisWorker>.Instance,
            assigned);

        var producerConfig = new ProducerConfig { BootstrapServers = broker.BootstrapServers };
        producer = new ProducerBuilder<string, byte[]>(producerConfig).Build();
        results = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = $"results-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
    }

    public ModelRepository Repository { get; }

    /// <summary>Starts a worker and waits until it has its partitions.</summary>
    public static async Task<WorkerHarness> StartAsync(
        KafkaTestBroker broker,
        ModelRepository repository,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var harness = new WorkerHarness(broker, repository);
        try
        {
            await TopicProvisioner.EnsureTopicsAsync(
                harness.bootstrap,
                new KafkaOptions(),
                [harness.topics.Results],
                NullLogger.Instance,
                cancellationToken);
            harness.results.Subscribe(harness.topics.Results);
            await harness.worker.StartAsync(cancellationToken);
            Task assignedOrFailed = await Task
                .WhenAny(harness.assigned.WaitAsync(cancellationToken), harness.worker.ExecuteTask!)
                .WaitAsync(StartTimeout, cancellationToken);
            await assignedOrFailed;
            Assert.True(harness.assigned.IsOpen, "The worker stopped before it got its partitions.");
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends a feature image for <paramref name="model"/> (empty for the default) and returns its correlation id.
    /// </summary>
    public async Task<string> SendAsync(Mat feature, string model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feature);
        string correlationId = CorrelationIds.Create();
        var features = new FrameFeatures
        {
            SchemaVersion = SchemaVersions.FrameFeatures,
            CameraId = "camera-1",
            FrameSequence = sequence++,
            CaptureTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
            FeatureKind = FeatureKind.Downscaled,
            Encoding = ImageEncoding.Jpeg,
            Width = (uint)feature.Width,
            Height = (uint)feature.Height,
            Payload = ByteString.CopyFrom(ImageCodec.Encode(feature, ImageEncoding.Jpeg, 95)),
            Model = model,
        };

        var headers = new Headers();
        headers.AddString(MessageHeaders.CorrelationId, correlationId);
        headers.AddString(MessageHeaders.ReplyTopic, topics.Results);
        headers.AddString(MessageHeaders.TraceParent, TraceParent.CreateRoot().ToString());
        headers.AddString(MessageHeaders.ContentType, MessageHeaders.FrameFeaturesContentType);
        await producer.ProduceAsync(
            topics.Features,
            new Message<string, byte[]> { Key = features.CameraId, Value = features.ToByteArray(), Headers = headers },
            cancellationToken);
        return correlationId;
    }

    /// <summary>Reads results until the one for <paramref name="correlationId"/> arrives.</summary>
    /// <exception cref="TimeoutException">No such result arrived within <paramref name="timeout"/>.</exception>
    public SynthesisResult WaitForResult(string correlationId, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!received.ContainsKey(correlationId))
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No result for correlation id {correlationId} within {timeout}.");
            }

            TimeSpan wait = left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
            ConsumeResult<string, byte[]>? record = results.Consume(wait);
            if (record?.Message is { } message && message.Headers.GetString(MessageHeaders.CorrelationId) is { } id)
            {
                received[id] = SynthesisResult.Parser.ParseFrom(message.Value);
            }
        }

        return received[correlationId];
    }

    public async ValueTask DisposeAsync()
    {
        using var stopTimeout = new CancellationTokenSource(StopTimeout);
        await worker.StopAsync(stopTimeout.Token);
        worker.Dispose();
        results.Close();
        results.Dispose();
        producer.Dispose();
        Repository.Dispose();
        bootstrap.Dispose();
    }
}
