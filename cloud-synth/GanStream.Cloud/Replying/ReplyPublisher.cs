using System.Diagnostics;
using Confluent.Kafka;
using GanStream.Cloud.Consuming;
using GanStream.Cloud.Decoding;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace GanStream.Cloud.Replying;

/// <summary>
/// Sends results to reply topics and rejected requests to the dead-letter topic, and marks the request's offset
/// finished once the broker acknowledged what was sent. Thread-safe.
/// </summary>
public sealed class ReplyPublisher : IDisposable
{
    private readonly IProducer<string, byte[]> producer;
    private readonly OffsetTracker offsets;
    private readonly string deadLetterTopic;
    private readonly string workerId;
    private readonly ILogger logger;

    public ReplyPublisher(
        KafkaBootstrap bootstrap,
        KafkaOptions kafkaOptions,
        TopicOptions topics,
        CloudOptions options,
        OffsetTracker offsets,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(kafkaOptions);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(options);

        this.offsets = offsets;
        this.logger = logger;
        deadLetterTopic = topics.DeadLetter;
        workerId = options.WorkerId;

        var config = new ProducerConfig
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 1,
            CompressionType = CompressionType.None,
            ClientId = $"ganstream-synth-{options.WorkerId}",
        };
        KafkaClientConfigFactory.Apply(config, kafkaOptions, bootstrap.BootstrapServers);
        producer = new ProducerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => CloudLog.KafkaError(logger, error.Reason, error.IsFatal))
            .Build();
    }

    /// <summary>Sends a synthesized image to the reply topic named by its request.</summary>
    public void PublishResult(DecodedFrame frame, SynthesisResult result)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);

        result.WorkerId = workerId;
        Message<string, byte[]> message = CreateReply(frame.Headers, frame.Features.CameraId, result);
        string model = frame.Model.Manifest.Name;
        TopicPartitionOffset position = frame.Message.Position;
        string topic = frame.Headers.ReplyTopic;
        string correlationId = frame.Headers.CorrelationId;
        long receivedTimestamp = frame.Message.ReceivedTimestamp;
        if (result.Timings is { } timings)
        {
            CloudMetrics.QueueDuration.Observe(timings.QueueMs / 1000);
        }

        long sentTimestamp = Stopwatch.GetTimestamp();
        Produce(topic, message, report =>
        {
            if (report.Error.IsError)
            {
                CloudMetrics.ReplyFailures.Inc();
                CloudLog.ReplyFailed(logger, topic, correlationId, report.Error.Reason);
                return;
            }

            long acknowledged = Stopwatch.GetTimestamp();
            CloudMetrics.ReplyDuration.WithLabels(CloudMetrics.ResultKind)
                .Observe(Stopwatch.GetElapsedTime(sentTimestamp, acknowledged).TotalSeconds);
            CloudMetrics.ProcessingDuration.WithLabels(model)
                .Observe(Stopwatch.GetElapsedTime(receivedTimestamp, acknowledged).TotalSeconds);
            CloudMetrics.ResultsProduced.WithLabels(model).Inc();
            offsets.Complete(position);
        });
    }

    /// <summary>
    /// Sends a request that cannot be processed to the dead-letter topic with headers naming the reason and its
    /// source, and tells the requester when its headers say where.
    /// </summary>
    public void PublishRejection(InboundMessage request, RequestHeaders? headers, FrameFeatures? features, Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rejection);

        CloudMetrics.DeadLetters.WithLabels(rejection.Reason).Inc();
        CloudLog.RequestRejected(
            logger,
            features?.CameraId ?? string.Empty,
            features?.FrameSequence ?? 0,
            request.Position.Topic,
            request.Position.Partition.Value,
            request.Position.Offset.Value,
            rejection.Reason,
            rejection.Detail);

        Message<string, byte[]> deadLetter = CreateDeadLetter(request, rejection);
        TopicPartitionOffset position = request.Position;
        long sentTimestamp = Stopwatch.GetTimestamp();
        Produce(deadLetterTopic, deadLetter, report =>
        {
            if (report.Error.IsError)
            {
                CloudMetrics.ReplyFailures.Inc();
                CloudLog.ReplyFailed(logger, deadLetterTopic, headers?.CorrelationId ?? string.Empty, report.Error.Reason);
                return;
            }

            CloudMetrics.ReplyDuration.WithLabels(CloudMetrics.DeadLetterKind)
                .Observe(Stopwatch.GetElapsedTime(sentTimestamp).TotalSeconds);
            offsets.Complete(position);
        });

        if (headers is not null)
        {
            var result = new SynthesisResult
            {
                SchemaVersion = SchemaVersions.SynthesisResult,
                CameraId = features?.CameraId ?? string.Empty,
                FrameSequence = features?.FrameSequence ?? 0,
                CaptureTime = features?.CaptureTime,
                Status = ResultStatus.Rejected,
                ErrorReason = rejection.Reason,
                WorkerId = workerId,
            };

            // The dead letter carries the request; this notice only saves the requester its result timeout.
            Produce(headers.ReplyTopic, CreateReply(headers, result.CameraId, result), _ => { });
        }
    }

    /// <summary>Waits until every message is acknowledged or the timeout passes; returns the number still queued.</summary>
    public int Flush(TimeSpan timeout) => producer.Flush(timeout);

    public void Dispose() => producer.Dispose();

    private void Produce(string topic, Message<string, byte[]> message, Action<DeliveryReport<string, byte[]>> onDelivered)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, onDelivered);
                return;
            }
            catch (ProduceException<string, byte[]> exception) when (exception.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure from the broker: wait for acknowledgements to free the local queue.
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
            catch (ProduceException<string, byte[]> exception)
            {
                onDelivered(new DeliveryReport<string, byte[]> { Error = exception.Error, Message = message, Topic = topic });
                return;
            }
        }
    }

    private static Message<string, byte[]> CreateReply(RequestHeaders headers, string key, SynthesisResult result)
    {
        var replyHeaders = new Headers();
        replyHeaders.AddString(MessageHeaders.CorrelationId, headers.CorrelationId);
        replyHeaders.AddString(MessageHeaders.TraceParent, headers.TraceParent.ToString());
        replyHeaders.AddString(MessageHeaders.ContentType, MessageHeaders.SynthesisResultContentType);
        return new Message<string, byte[]> { Key = key, Value = result.ToByteArray(), Headers = replyHeaders };
    }

    private static Message<string, byte[]> CreateDeadLetter(InboundMessage request, Rejection rejection)
    {
        var headers = new Headers();
        foreach (IHeader header in request.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.AddString(MessageHeaders.DeadLetterReason, rejection.Reason);
        headers.AddString(MessageHeaders.DeadLetterDetail, rejection.BoundedDetail);
        headers.AddString(MessageHeaders.SourceTopic, request.Position.Topic);
        headers.AddString(MessageHeaders.SourcePartition, request.Position.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers.AddString(MessageHeaders.SourceOffset, request.Position.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new Message<string, byte[]>
        {
            Key = request.Record.Message.Key,
            Value = request.Record.Message.Value,
            Headers = headers,
        };
    }
}
