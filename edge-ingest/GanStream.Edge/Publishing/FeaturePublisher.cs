using System.Diagnostics;
using Confluent.Kafka;
using GanStream.Edge.Accounting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Logging;
using GanStream.Pipeline.Messaging;
using GanStream.Pipeline.Transport;
using GanStream.Schemas;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace GanStream.Edge.Publishing;

/// <summary>
/// Publishes feature messages keyed by camera id, and settles frames whose delivery fails. The producer is
/// idempotent, so a retried send after a broker failure is not written twice.
/// </summary>
public sealed class FeaturePublisher : IFeatureSink
{
    /// <summary>Room left in the producer's message limit for the key, headers and record overhead.</summary>
    public const int EnvelopeBytes = 64 * 1024;

    private static readonly TimeSpan QueueFullRetryDelay = TimeSpan.FromMilliseconds(20);

    private readonly IProducer<string, byte[]> producer;
    private readonly InFlightFrames inFlight;
    private readonly ILogger logger;
    private readonly LogThrottle throttle;
    private readonly string featuresTopic;
    private readonly string replyTopic;
    private readonly EmulatedLink? uplink;

    /// <param name="uplink">Emulated edge-to-cloud link every message crosses before the producer gets it; none by default.</param>
    public FeaturePublisher(
        KafkaBootstrap bootstrap,
        KafkaOptions kafkaOptions,
        TopicOptions topics,
        EdgeOptions edgeOptions,
        InFlightFrames inFlight,
        LogThrottle throttle,
        ILogger logger,
        EmulatedLink? uplink = null)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(kafkaOptions);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(edgeOptions);

        this.inFlight = inFlight;
        this.uplink = uplink;
        this.throttle = throttle;
        this.logger = logger;
        featuresTopic = topics.Features;
        replyTopic = topics.Results;

        var config = new ProducerConfig
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 1,
            CompressionType = CompressionType.None,
            ClientId = "ganstream-edge",
            MessageMaxBytes = edgeOptions.MaxMessageBytes + EnvelopeBytes,
        };
        KafkaClientConfigFactory.Apply(config, kafkaOptions, bootstrap.BootstrapServers);

        producer = new ProducerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) => KafkaClientLog.Forward(logger, message))
            .Build();
    }

    public string FeaturesTopic => featuresTopic;

    /// <summary>
    /// Hands a frame's features to the producer; the frame must already be in <see cref="InFlightFrames"/>. A frame
    /// that cannot be queued is settled as dropped: <c>too-large</c>, <c>publish-failed</c>, or <c>shutdown</c>
    /// when <paramref name="cancellationToken"/> fires while the producer's queue is full.
    /// </summary>
    /// <returns>False when the frame was settled as dropped.</returns>
    public async Task<bool> PublishAsync(PendingFrame frame, FrameFeatures features, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(features);

        var headers = new Headers();
        headers.AddString(MessageHeaders.CorrelationId, frame.CorrelationId);
        headers.AddString(MessageHeaders.ReplyTopic, replyTopic);
        headers.AddString(MessageHeaders.TraceParent, TraceParent.FromCurrentOrRoot().ToString());
        headers.AddString(MessageHeaders.ContentType, MessageHeaders.FrameFeaturesContentType);

        var message = new Message<string, byte[]>
        {
            Key = features.CameraId,
            Value = features.ToByteArray(),
            Headers = headers,
        };
        int payloadBytes = features.Payload.Length;
        if (uplink is not null)
        {
            uplink.Send(message.Value.Length, () => ProduceAfterLink(frame, message, payloadBytes));
            return true;
        }

        while (true)
        {
            try
            {
                producer.Produce(featuresTopic, message, report => OnDelivered(frame, payloadBytes, report));
                return true;
            }
            catch (ProduceException<string, byte[]> exception) when (exception.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The local queue drains as the broker acknowledges; waiting here slows this camera, not capture.
                try
                {
                    await Task.Delay(QueueFullRetryDelay, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Settle(frame, "shutdown", "the edge stopped while the producer's queue was full");
                    return false;
                }
            }
            catch (ProduceException<string, byte[]> exception)
            {
                Settle(frame, DropReason(exception.Error), exception.Error.Reason);
                return false;
            }
        }
    }

    /// <summary>Waits until every queued message is acknowledged or <paramref name="timeout"/> passes.</summary>
    /// <returns>Number of messages still queued.</returns>
    public int Flush(TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (uplink is { Pending: > 0 } && waited.Elapsed < timeout)
        {
            Thread.Sleep(5);
        }

        TimeSpan left = timeout - waited.Elapsed;
        return (uplink?.Pending ?? 0) + producer.Flush(left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    public void Dispose()
    {
        uplink?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        producer.Dispose();
    }

    /// <summary>Produces a message once it has crossed the emulated link; runs on the link's thread.</summary>
    private void ProduceAfterLink(PendingFrame frame, Message<string, byte[]> message, int payloadBytes)
    {
        try
        {
            producer.Produce(featuresTopic, message, report => OnDelivered(frame, payloadBytes, report));
        }
        catch (ProduceException<string, byte[]> exception)
        {
            Settle(frame, DropReason(exception.Error), exception.Error.Reason);
        }
    }

    private void OnDelivered(PendingFrame frame, int payloadBytes, DeliveryReport<string, byte[]> report)
    {
        // Runs on a librdkafka thread: record the outcome and never throw.
        if (report.Error.IsError)
        {
            Settle(frame, DropReason(report.Error), report.Error.Reason);
            return;
        }

        frame.MarkAcknowledged();

        // The camera may have been removed while its message waited for the broker; its series stay deleted.
        if (!frame.Account.MetricsRemoved)
        {
            CameraAccount.FramePublished(frame.CameraId, payloadBytes, Stopwatch.GetElapsedTime(frame.SentTimestamp));
        }
    }

    private static string DropReason(Error error) =>
        error.Code == ErrorCode.MsgSizeTooLarge ? "too-large" : "publish-failed";

    private void Settle(PendingFrame frame, string reason, string error)
    {
        if (!inFlight.TryRemove(frame.CorrelationId, out PendingFrame removed))
        {
            return;
        }

        removed.Account.SentFrameDropped(reason);
        if (throttle.TryAcquire($"publish/{removed.CameraId}/{reason}", out long suppressed))
        {
            EdgeLog.PublishFailed(logger, removed.CameraId, removed.Sequence, featuresTopic, error, suppressed);
        }
    }

    private void OnError(Error error)
    {
        if (throttle.TryAcquire($"kafka/publisher/{error.Code}", out long suppressed))
        {
            EdgeLog.KafkaError(logger, error.Reason, error.IsFatal, suppressed);
        }
    }
}
