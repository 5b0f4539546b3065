using Confluent.Kafka;
using GanStream.Cloud.Decoding;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using GanStream.Tests.Support;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;

namespace GanStream.Tests.Delivery;

/// <summary>
/// Requests a worker cannot process, written to the features topic next to valid ones: each goes to the dead-letter
/// topic with headers naming the reason and its source, and the edge that sent it receives a rejection.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Broker)]
public sealed class DeadLetterTests(KafkaTestBroker broker, ITestOutputHelper output)
{
    private const int MaxMessageBytes = 64 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Worker_BadRequests_EachReachesDeadLetterTopicWithReasonAndSource()
    {
        output.WriteLine($"Running against {broker.Description}");
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        TopicOptions topics = KafkaTestBroker.UniqueTopics();
        List<Request> requests = CreateRequests(topics.Results);
        await ProduceAsync(topics.Features, requests, cancellationToken);
        using var collector = new ResultCollector(broker.BootstrapServers, topics.Results);

        var logs = new RecordingLoggerProvider();
        var settings = ServiceRunner.CreateSettings(broker.CreateBootstrap(), topics, $"dlq-{Guid.NewGuid():N}");
        settings.Set("Cloud:MaxMessageBytes", MaxMessageBytes);
        await using WebApplication worker = await ServiceRunner.StartWorkerAsync(settings, logs, cancellationToken);
        using var dump = logs.DumpOnDispose(output);
        int expectedDeadLetters = requests.Count(r => r.ExpectedReason is not null);
        List<ConsumeResult<string, byte[]>> deadLetters = await WaitForCountAsync(
            topics.DeadLetter,
            expectedDeadLetters,
            cancellationToken);
        string[] okIds = requests.Where(r => r.ExpectedReason is null).Select(r => r.CorrelationId!).ToArray();
        string[] noticeIds = requests.Where(r => r.ExpectedReason is not null && r.CorrelationId is not null).Select(r => r.CorrelationId!).ToArray();
        await collector.WaitForOkAsync(okIds, Timeout, cancellationToken);
        IReadOnlyDictionary<string, IReadOnlyList<SynthesisResult>> results =
            await collector.WaitForAsync(noticeIds, r => r.Status == ResultStatus.Rejected, Timeout, cancellationToken);
        await worker.StopAsync(cancellationToken);

        Assert.Equal(expectedDeadLetters, deadLetters.Count);
        foreach (Request request in requests.Where(r => r.ExpectedReason is not null))
        {
            ConsumeResult<string, byte[]> letter = Assert.Single(
                deadLetters,
                d => d.Message.Headers.GetString(MessageHeaders.SourceOffset) == request.Position!.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) &&
                     d.Message.Headers.GetString(MessageHeaders.SourcePartition) == request.Position.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(request.ExpectedReason, letter.Message.Headers.GetString(MessageHeaders.DeadLetterReason));
            Assert.Equal(topics.Features, letter.Message.Headers.GetString(MessageHeaders.SourceTopic));
            Assert.False(string.IsNullOrEmpty(letter.Message.Headers.GetString(MessageHeaders.DeadLetterDetail)), request.Name);
            if (request.Oversized)
            {
                Assert.Null(letter.Message.Value);
                Assert.Equal(
                    request.Value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    letter.Message.Headers.GetString(MessageHeaders.DeadLetterValueOmitted));
            }
            else
            {
                Assert.Equal(request.Value, letter.Message.Value);
            }

            if (request.CorrelationId is { } correlationId)
            {
                // The edge that sent the request receives a rejection, so it counts the frame as rejected instead of waiting.
                SynthesisResult notice = Assert.Single(results[correlationId]);
                Assert.Equal(ResultStatus.Rejected, notice.Status);
                Assert.Equal(request.ExpectedReason, notice.ErrorReason);
            }
        }

        SynthesisResult cmyk = Assert.Single(results[requests.Single(r => r.Name == "cmyk-jpeg").CorrelationId!]);
        Assert.Equal(ResultStatus.Ok, cmyk.Status);
        Assert.Equal(64u, cmyk.Width);
        Assert.Equal(ResultStatus.Ok, Assert.Single(results[requests.Single(r => r.Name == "valid").CorrelationId!]).Status);
        Assert.NotEmpty(logs.WithEvent(3003));
    }

    private static List<Request> CreateRequests(string replyTopic)
    {
        FrameFeatures valid = TopicTools.CreateFeatures("camera-bad", 1, 64, 48);
        byte[] jpeg = valid.Payload.ToByteArray();
        var noise = new byte[300];
        new Random(5).NextBytes(noise);
        noise[0] = 0x0F;

        return
        [
            Request.With("not-the-schema", noise, replyTopic, RejectionReason.NotTheSchema),
            Request.With(
                "unknown-version",
                Change(valid, f => f.SchemaVersion = 42).ToByteArray(),
                replyTopic,
                RejectionReason.UnknownSchemaVersion),
            Request.With(
                "truncated-jpeg",
                WithPayload(valid, jpeg[..(jpeg.Length / 2)]).ToByteArray(),
                replyTopic,
                RejectionReason.UndecodablePayload),
            Request.With(
                "huge-jpeg-header",
                WithPayload(valid, TestJpegs.HugeHeader()).ToByteArray(),
                replyTopic,
                RejectionReason.TooLarge),
            Request.With(
                "huge-declared-size",
                Change(valid, f => (f.Width, f.Height) = (50000u, 50000u)).ToByteArray(),
                replyTopic,
                RejectionReason.TooLarge),
            Request.With(
                "oversized",
                WithPayload(valid, new byte[MaxMessageBytes + 40_000]).ToByteArray(),
                replyTopic,
                RejectionReason.TooLarge,
                oversized: true),
            new Request("no-headers", valid.ToByteArray(), new Headers(), null, RejectionReason.InvalidHeaders),
            Request.With(
                "cmyk-jpeg",
                Change(WithPayload(valid, TestJpegs.Cmyk()), f => (f.Width, f.Height) = (16u, 16u)).ToByteArray(),
                replyTopic,
                null),
            Request.With("valid", valid.ToByteArray(), replyTopic, null),
        ];
    }

    private static FrameFeatures WithPayload(FrameFeatures features, byte[] payload) =>
        Change(features, f => f.Payload = ByteString.CopyFrom(payload));

    private static FrameFeatures Change(FrameFeatures features, Action<FrameFeatures> change)
    {
        FrameFeatures copy = features.Clone();
        change(copy);
        return copy;
    }

    private async Task ProduceAsync(string topic, List<Request> requests, CancellationToken cancellationToken)
    {
        using IProducer<string, byte[]> producer = TopicTools.CreateProducer(broker.BootstrapServers);
        foreach (Request request in requests)
        {
            var message = new Message<string, byte[]> { Key = request.Name, Value = request.Value, Headers = request.Headers };
            DeliveryResult<string, byte[]> delivered = await producer.ProduceAsync(topic, message, cancellationToken);
            request.Position = delivered.TopicPartitionOffset;
        }
    }

    private async Task<List<ConsumeResult<string, byte[]>>> WaitForCountAsync(
        string topic,
        int count,
        CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        while (true)
        {
            List<ConsumeResult<string, byte[]>> records = TopicTools.ReadAll(broker.BootstrapServers, topic);
            if (records.Count >= count)
            {
                return records;
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{records.Count} of {count} messages on {topic} within {Timeout}.");
            }
        }
    }

    /// <summary>One request written to the features topic and what the worker is expected to do with it.</summary>
    private sealed record Request(string Name, byte[] Value, Headers Headers, string? CorrelationId, string? ExpectedReason)
    {
        public bool Oversized { get; init; }

        public TopicPartitionOffset? Position { get; set; }

        public static Request With(string name, byte[] value, string replyTopic, string? expectedReason, bool oversized = false) =>
            new(name, value, TopicTools.RequestHeaders(replyTopic, out string correlationId), correlationId, expectedReason) { Oversized = oversized };
    }
}
