using System.Diagnostics;
using Confluent.Kafka;
using GanStream.Edge.Accounting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace GanStream.Edge.Publishing;

/// <summary>Publishes feature messages keyed by camera id, and settles frames whose delivery fails.</summary>
public sealed class FeaturePublisher : IDisposable
{
    private static readonly TimeSpan QueueFullRetryDelay = TimeSpan.FromMilliseconds(20);

    private readonly IProducer<string, byte[]> producer;
    private readonly InFlightFrames inFlight;
    private readonly ILogger logger;
    private readonly string featuresTopic;
    private readonly string replyTopic;

    public FeaturePublisher(
        KafkaBootstrap bootstrap,
        KafkaOptions kafkaOptions,
        TopicOptions topics,
        InFlightFrames inFlight,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(kafkaOptions);
        ArgumentNullException.ThrowIfNull(topics);

        this.inFlight = inFlight;
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
        };
        KafkaClientConfigFactory.Apply(config, kafkaOptions, bootstrap.BootstrapServers);

        producer = new ProducerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => EdgeLog.KafkaError(logger, error.Reason, error.IsFatal))
            .Build();
    }

    public string FeaturesTopic => featuresTopic;

    /// <summary>Hands a frame's features to the producer; the frame must already be in <see cref="InFlightFrames"/>.</summary>
    /// <returns>False when the frame could not be queued and was settled as dropped.</returns>
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
                await Task.Delay(QueueFullRetryDelay, cancellationToken);
            }
            catch (ProduceException<string, byte[]> exception)
            {
                string reason = exception.Error.Code == ErrorCode.MsgSizeTooLarge ? "too-large" : "publish-failed";
                Settle(frame, reason, exception.Error.Reason);
                return false;
            }
        }
    }

    /// <summary>Waits until every queued message is acknowledged or <paramref name="timeout"/> passes.</summary>
    /// <returns>Number of messages still queued.</returns>
    public int Flush(TimeSpan timeout) => producer.Flush(timeout);

    public void Dispose() => producer.Dispose();

    private void OnDelivered(PendingFrame frame, int payloadBytes, DeliveryReport<string, byte[]> report)
    {
        // Runs on a librdkafka thread: record the outcome and never throw.
        if (report.Error.IsError)
        {
            Settle(frame, "publish-failed", report.Error.Reason);
            return;
        }

        CameraAccount.FramePublished(frame.CameraId, payloadBytes, Stopwatch.GetElapsedTime(frame.SentTimestamp));
    }

    private void Settle(PendingFrame frame, string reason, string error)
    {
        if (inFlight.TryRemove(frame.CorrelationId, out PendingFrame removed))
        {
            removed.Account.SentFrameDropped(reason);
            EdgeLog.PublishFailed(logger, removed.CameraId, removed.Sequence, featuresTopic, error);
        }
    }
}
