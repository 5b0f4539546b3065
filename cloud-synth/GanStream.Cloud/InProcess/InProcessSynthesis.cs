using System.Diagnostics;
using Confluent.Kafka;
using GanStream.Cloud.Consuming;
using GanStream.Cloud.Decoding;
using GanStream.Cloud.Inference;
using GanStream.Cloud.Replying;
using GanStream.Pipeline.Messaging;
using GanStream.Pipeline.Models;
using GanStream.Schemas;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace GanStream.Cloud.InProcess;

/// <summary>
/// The synthesis stages of a worker without Kafka, for an edge that synthesizes in its own process (edge-only mode):
/// requests go in through <see cref="SubmitAsync"/>, and every outcome (image, rejection, filtered) comes back through
/// the callback, keyed by the request's correlation id.
/// </summary>
public sealed class InProcessSynthesis : IReplySink, IDisposable
{
    /// <summary>Name of the stand-in topic that positions and logs of in-process requests carry.</summary>
    public const string LocalTopic = "in-process";

    private readonly CloudOptions options;
    private readonly SynthesisStages stages;
    private readonly Action<string, SynthesisResult> onResult;
    private readonly ILogger logger;
    private readonly string replyTopic;
    private long offset;

    /// <param name="onResult">Receives the correlation id and outcome of each request, on a stage's thread.</param>
    public InProcessSynthesis(
        CloudOptions options,
        ModelRepository models,
        Action<string, SynthesisResult> onResult,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onResult);
        this.options = options;
        this.onResult = onResult;
        this.logger = logger;

        // The decoder checks the reply topic like a worker does; this one passes its prefix check and is never used.
        replyTopic = options.AllowedReplyTopicPrefix + LocalTopic;
        stages = new SynthesisStages(options, models, this, logger);
        stages.Start();
    }

    /// <summary>Queues a request; waits while the stages are full, which slows the caller instead of dropping.</summary>
    public async ValueTask SubmitAsync(string correlationId, FrameFeatures features, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(features);
        var headers = new Headers();
        headers.AddString(MessageHeaders.CorrelationId, correlationId);
        headers.AddString(MessageHeaders.ReplyTopic, replyTopic);
        var record = new ConsumeResult<string, byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset(LocalTopic, 0, Interlocked.Increment(ref offset)),
            Message = new Message<string, byte[]>
            {
                Key = features.CameraId,
                Value = features.ToByteArray(),
                Headers = headers,

                // The worker's queue time starts at the message's timestamp, here the moment it is submitted.
                Timestamp = new Timestamp(DateTimeOffset.UtcNow),
            },
        };
        await stages.Input.WriteAsync(new InboundMessage(record, Stopwatch.GetTimestamp()), cancellationToken);
    }

    /// <summary>Finishes what was submitted, within the worker's <see cref="CloudOptions.DrainTimeout"/>.</summary>
    /// <returns>The number of requests not finished in time; their frames get no outcome from here.</returns>
    public Task<int> DrainAsync() => stages.DrainAsync(options.DrainTimeout);

    public void Dispose() => stages.Dispose();

    void IReplySink.PublishResult(DecodedFrame frame, SynthesisResult result)
    {
        result.WorkerId = options.WorkerId;
        onResult(frame.Headers.CorrelationId, result);
    }

    void IReplySink.PublishRejection(
        InboundMessage request,
        RequestHeaders? headers,
        FrameFeatures? features,
        Rejection rejection)
    {
        CloudLog.RequestRejected(
            logger,
            features?.CameraId ?? "(unknown)",
            features?.FrameSequence ?? 0,
            LocalTopic,
            0,
            request.Position.Offset.Value,
            rejection.Reason,
            rejection.Detail,
            0);
        if (headers is null)
        {
            return;
        }

        onResult(headers.CorrelationId, new SynthesisResult
        {
            SchemaVersion = SchemaVersions.SynthesisResult,
            CameraId = features?.CameraId ?? string.Empty,
            FrameSequence = features?.FrameSequence ?? 0,
            CaptureTime = features?.CaptureTime,
            Status = ResultStatus.Rejected,
            ErrorReason = rejection.Reason,
            WorkerId = options.WorkerId,
        });
    }

    void IReplySink.PublishFiltered(InboundMessage request, RequestHeaders headers, FrameFeatures features, string filter) =>
        onResult(headers.CorrelationId, ReplyPublisher.FilteredNotice(features, filter, options.WorkerId));
}
