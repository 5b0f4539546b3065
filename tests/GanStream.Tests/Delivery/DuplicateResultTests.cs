using System.Diagnostics;
using Confluent.Kafka;
using GanStream.Edge;
using GanStream.Edge.Accounting;
using GanStream.Edge.Publishing;
using GanStream.Edge.Replies;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Logging;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using GanStream.Tests.Support;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanStream.Tests.Delivery;

/// <summary>A worker that redoes a frame after a failure sends its result twice; the edge counts the frame once.</summary>
[Trait(TestCategories.Name, TestCategories.Broker)]
public sealed class DuplicateResultTests(KafkaTestBroker broker)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ResultListener_SameResultTwice_CountsFrameOnceAndDropsDuplicate()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        TopicOptions topics = KafkaTestBroker.UniqueTopics();
        KafkaBootstrap bootstrap = broker.CreateBootstrap();
        await TopicProvisioner.EnsureTopicsAsync(
            bootstrap,
            new KafkaOptions(),
            [topics.Results],
            NullLogger.Instance,
            cancellationToken);

        var account = new CameraAccount("dup");
        var inFlight = new InFlightFrames();
        var window = new SemaphoreSlim(1, 1);
        await window.WaitAsync(cancellationToken);
        account.FrameRead();
        account.FrameSent(100);
        var pending = new PendingFrame(CorrelationIds.Create(), account, 7, Stopwatch.GetTimestamp(), null, window);
        inFlight.Add(pending);

        var options = new EdgeOptions { EdgeId = $"dup-{Guid.NewGuid():N}", ResultTimeout = Timeout };
        using var listener = new ResultListener(
            bootstrap,
            new KafkaOptions(),
            topics,
            options,
            inFlight,
            [],
            new LogThrottle(TimeSpan.Zero),
            NullLogger.Instance);
        listener.AssignAtEnd();
        using var stop = new CancellationTokenSource();
        Task listening = Task.Factory.StartNew(
            () => listener.Run(stop.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        using (IProducer<string, byte[]> producer = TopicTools.CreateProducer(broker.BootstrapServers))
        {
            await producer.ProduceAsync(topics.Results, Result(pending.CorrelationId), cancellationToken);
            await producer.ProduceAsync(topics.Results, Result(pending.CorrelationId), cancellationToken);
            await producer.ProduceAsync(topics.Results, Result(CorrelationIds.Create()), cancellationToken);
        }

        await WaitUntilAsync(() => listener.Duplicates == 1 && listener.Unmatched == 1, cancellationToken);
        await stop.CancelAsync();
        await listening.WaitAsync(Timeout, cancellationToken);

        CameraSnapshot snapshot = account.Snapshot();
        Assert.Equal(1, snapshot.Synthesized);
        Assert.Equal(0, snapshot.InFlight);
        Assert.Equal(1, listener.Duplicates);
        Assert.Equal(1, listener.Unmatched);
        Assert.Equal(0, inFlight.Count);
        Assert.True(snapshot.Reconciles);
    }

    private static Message<string, byte[]> Result(string correlationId)
    {
        var headers = new Headers();
        headers.AddString(MessageHeaders.CorrelationId, correlationId);
        var result = new SynthesisResult
        {
            SchemaVersion = SchemaVersions.SynthesisResult,
            Status = ResultStatus.Ok,
            CameraId = "dup",
            FrameSequence = 7,
            Encoding = ImageEncoding.Jpeg,
            Payload = ByteString.CopyFrom(TestJpegs.Cmyk()),
        };
        return new Message<string, byte[]> { Key = "dup", Value = result.ToByteArray(), Headers = headers };
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        while (!condition())
        {
            await Task.Delay(100, limit.Token);
        }
    }
}
