using System.Diagnostics;
using Confluent.Kafka;
using GanStream.Cloud.Consuming;
using GanStream.Cloud.Decoding;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Logging;
using GanStream.Pipeline.Messaging;
using GanStream.Pipeline.Transport;
using GanStream.Schemas;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace GanStream.Cloud.Replying;

/// <summary>
/// Sends results to reply topics and rejected requests to the dead-letter topic, and marks the request's offset
/// finished once the broker acknowledged what was sent. A result larger than <see cref="CloudOptions.MaxResultBytes"/>
/// is rejected instead of sent, and a dead letter carries the request's value only up to
/// <see cref="CloudOptions.MaxMessageBytes"/>, so that neither can fail the broker's size limit for ever and hold
/// back the partition's offsets. Thread-safe.
/// </summary>
public sealed class ReplyPublisher : IReplySink, IDisposable
{
    /// <summary>Room above the message size limits for the key, headers and record overhead.</summary>
    public const int EnvelopeBytes = 64 * 1024;

    private readonly IProducer<string, byte[]> producer;
    private readonly OffsetTracker offsets;
    private readonly string deadLetterTopic;
    private readonly string workerId;
    private readonly int maxResultBytes;
    private readonly int maxDeadLetterValueBytes;
    private readonly LogThrottle throttle;
    private readonly ILogger logger;
    private readonly EmulatedLink? downlink;

    /// <param name="downlink">Emulated cloud-to-edge link that every result crosses before the producer gets it.</param>
    public ReplyPublisher(
        KafkaBootstrap bootstrap,
        KafkaOptions kafkaOptions,
        TopicOptions topics,
        CloudOptions options,
        OffsetTracker offsets,
        LogThrottle throttle,
        ILogger logger,
        EmulatedLink? downlink = null)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(kafkaOptions);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(options);

        this.offsets = offsets;
        this.downlink = downlink;
        this.throttle = throttle;
        this.logger = logger;
        deadLetterTopic = topics.DeadLetter;
        workerId = options.WorkerId;
        maxResultBytes = options.MaxResultBytes;
        maxDeadLetterValueBytes = options.MaxMessageBytes;

        var config = new ProducerConfig
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 1,
            CompressionType = CompressionType.None,
            ClientId = $"ganstream-synth-{options.WorkerId}",

            // Room for the largest result or dead letter, plus its key, headers and record overhead.
            MessageMaxBytes = Math.Max(options.MaxResultBytes, options.MaxMessageBytes) + EnvelopeBytes,
        };
        KafkaClientConfigFactory.Apply(config, kafkaOptions, bootstrap.BootstrapServers);
        producer = new ProducerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) => KafkaClientLog.Forward(logger, message))
            .Build();
    }

    /// <summary>Sends a synthesized image to the reply topic named by its request.</summary>
    public void PublishResult(DecodedFrame frame, SynthesisResult result)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);

        result.WorkerId = workerId;
        int size = result.CalculateSize();
        if (size > maxResultBytes)
        {
            string detail = $"the result has {size} bytes, over the limit of {maxResultBytes} (Cloud:MaxResultBytes)";
            var rejection = new Rejection(RejectionReason.ResultTooLarge, detail);
            PublishRejection(frame.Message, frame.Headers, frame.Features, rejection);
            return;
        }

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
        ProduceOverLink(topic, message, report =>
        {
            if (report.Error.IsError)
            {
                OnReplyFailed(topic, correlationId, report.Error);
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
    /// source, and sends the requester a rejection when the request names a reply topic.
    /// </summary>
    public void PublishRejection(InboundMessage request, RequestHeaders? headers, FrameFeatures? features, Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rejection);

        CloudMetrics.DeadLetters.WithLabels(rejection.Reason).Inc();
        if (throttle.TryAcquire($"rejected/{rejection.Reason}", out long suppressed))
        {
            CloudLog.RequestRejected(
                logger,
                string.IsNullOrEmpty(features?.CameraId) ? "(unknown)" : features.CameraId,
                features?.FrameSequence ?? 0,
                request.Position.Topic,
                request.Position.Partition.Value,
                request.Position.Offset.Value,
                rejection.Reason,
                rejection.Detail,
                suppressed);
        }

        Message<string, byte[]> deadLetter = CreateDeadLetter(request, rejection, maxDeadLetterValueBytes);
        TopicPartitionOffset position = request.Position;
        long sentTimestamp = Stopwatch.GetTimestamp();
        Produce(deadLetterTopic, deadLetter, report =>
        {
            // NOTE: a dead letter the broker refuses for good (for example a topic-level size limit below
            // Cloud:MaxMessageBytes) leaves its offset unfinished, which holds back the partition's commits until
            // the worker restarts and the message is read again.
            if (report.Error.IsError)
            {
                OnReplyFailed(deadLetterTopic, headers?.CorrelationId ?? string.Empty, report.Error);
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

    /// <summary>
    /// Tells the requester that the worker's filter dropped its frame; the request's offset is done once the broker
    /// acknowledges the notice. Nothing is dead-lettered, because a filtered frame is not an error.
    /// </summary>
    public void PublishFiltered(InboundMessage request, RequestHeaders headers, FrameFeatures features, string filter)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(features);

        CloudMetrics.FramesFiltered.WithLabels(filter).Inc();
        SynthesisResult notice = FilteredNotice(features, filter, workerId);
        TopicPartitionOffset position = request.Position;
        string topic = headers.ReplyTopic;
        Produce(topic, CreateReply(headers, features.CameraId, notice), report =>
        {
            if (report.Error.IsError)
            {
                OnReplyFailed(topic, headers.CorrelationId, report.Error);
                return;
            }

            offsets.Complete(position);
        });
    }

    /// <summary>Creates the reply that informs a requester that <paramref name="filter"/> dropped its frame.</summary>
    public static SynthesisResult FilteredNotice(FrameFeatures features, string filter, string workerId)
    {
        ArgumentNullException.ThrowIfNull(features);
        return new SynthesisResult
        {
            SchemaVersion = SchemaVersions.SynthesisResult,
            CameraId = features.CameraId,
            FrameSequence = features.FrameSequence,
            CaptureTime = features.CaptureTime,
            Status = ResultStatus.Filtered,
            ErrorReason = filter,
            WorkerId = workerId,
        };
    }

    /// <summary>Waits until every message is acknowledged or the timeout passes; returns the number still queued.</summary>
    public int Flush(TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (downlink is { Pending: > 0 } && waited.Elapsed < timeout)
        {
            Thread.Sleep(5);
        }

        TimeSpan left = timeout - waited.Elapsed;
        return (downlink?.Pending ?? 0) + producer.Flush(left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    public void Dispose()
    {
        downlink?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        producer.Dispose();
    }

    /// <summary>Produces a result after it has crossed the emulated downlink, or at once when there is none.</summary>
    private void ProduceOverLink(string topic, Message<string, byte[]> message, Action<DeliveryReport<string, byte[]>> onDelivered)
    {
        if (downlink is null)
        {
            Produce(topic, message, onDelivered);
            return;
        }

        downlink.Send(message.Value.Length, () => Produce(topic, message, onDelivered));
    }

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

    private void OnReplyFailed(string topic, string correlationId, Error error)
    {
        CloudMetrics.ReplyFailures.Inc();
        if (throttle.TryAcquire($"reply-failed/{error.Code}", out long suppressed))
        {
            CloudLog.ReplyFailed(logger, topic, correlationId, error.Reason, suppressed);
        }
    }

    private void OnError(Error error)
    {
        if (throttle.TryAcquire($"kafka/producer/{error.Code}", out long suppressed))
        {
            CloudLog.KafkaError(logger, error.Reason, error.IsFatal, suppressed);
        }
    }

    private static Message<string, byte[]> CreateDeadLetter(
        InboundMessage request,
        Rejection rejection,
        int maxValueBytes)
    {
        var headers = new Headers();
        foreach (IHeader header in request.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        byte[]? value = request.Record.Message.Value;
        if (value is not null && value.Length > maxValueBytes)
        {
            // The value is left out so that the dead letter itself fits the broker's limit; the header keeps its size.
            headers.AddString(
                MessageHeaders.DeadLetterValueOmitted,
                value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            value = null;
        }

        headers.AddString(MessageHeaders.DeadLetterReason, rejection.Reason);
        headers.AddString(MessageHeaders.DeadLetterDetail, rejection.BoundedDetail);
        headers.AddString(MessageHeaders.SourceTopic, request.Position.Topic);
        headers.AddString(MessageHeaders.SourcePartition, request.Position.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers.AddString(MessageHeaders.SourceOffset, request.Position.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new Message<string, byte[]>
        {
            Key = request.Record.Message.Key,
            Value = value!,
            Headers = headers,
        };
    }
}
