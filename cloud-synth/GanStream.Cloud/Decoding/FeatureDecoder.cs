using System.Buffers;
using System.Diagnostics;
using GanStream.Cloud.Consuming;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Messaging;
using GanStream.Pipeline.Models;
using GanStream.Schemas;
using Google.Protobuf;
using OpenCvSharp;

namespace GanStream.Cloud.Decoding;

/// <summary>Checks a feature message and decodes its payload into the model's input tensor.</summary>
/// <remarks>
/// Whole frames (cloud-only mode) are filtered per camera first, then downscaled by the model's scale factor here, so
/// the worker does the feature extraction an edge does in hybrid mode.
/// </remarks>
public sealed class FeatureDecoder : IDisposable
{
    private readonly CloudOptions options;
    private readonly ModelRepository models;
    private readonly CameraFilters filters;

    public FeatureDecoder(CloudOptions options, ModelRepository models)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(models);
        this.options = options;
        this.models = models;
        filters = new CameraFilters(options.Filters);
    }

    public void Dispose() => filters.Dispose();

    /// <summary>Reads the reply headers of a message, which a rejection also needs.</summary>
    public RequestHeaders? ReadHeaders(InboundMessage message, out Rejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(message);
        rejection = null;
        string? correlationId = message.Headers.GetString(MessageHeaders.CorrelationId);
        string? replyTopic = message.Headers.GetString(MessageHeaders.ReplyTopic);
        if (!CorrelationIds.IsValid(correlationId) || !IsValidTopicName(replyTopic))
        {
            rejection = new Rejection(RejectionReason.InvalidHeaders, "the correlation-id or reply-topic header is missing or invalid");
            return null;
        }

        if (options.AllowedReplyTopicPrefix.Length > 0 &&
            !replyTopic!.StartsWith(options.AllowedReplyTopicPrefix, StringComparison.Ordinal))
        {
            rejection = new Rejection(
                RejectionReason.ReplyTopicNotAllowed,
                $"reply topic '{replyTopic}' does not start with '{options.AllowedReplyTopicPrefix}'");
            return null;
        }

        string? traceHeader = message.Headers.GetString(MessageHeaders.TraceParent);
        TraceParent trace = TraceParent.TryParse(traceHeader, out TraceParent parent) ? parent.CreateChild() : TraceParent.CreateRoot();
        return new RequestHeaders(correlationId!, replyTopic!, trace);
    }

    /// <summary>Parses, checks and decodes a message whose headers are valid.</summary>
    /// <returns>The decoded frame, or null and the reason it was rejected.</returns>
    public DecodedFrame? Decode(InboundMessage message, RequestHeaders headers, out FrameFeatures? features, out Rejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(headers);
        long started = Stopwatch.GetTimestamp();
        features = null;

        byte[]? value = message.Record.Message.Value;
        if (value is null || value.Length == 0 || value.Length > options.MaxMessageBytes)
        {
            int length = value?.Length ?? 0;
            rejection = new Rejection(RejectionReason.TooLarge, $"the message has {length} bytes; the limit is {options.MaxMessageBytes}");
            return null;
        }

        try
        {
            features = FrameFeatures.Parser.ParseFrom(value);
        }
        catch (InvalidProtocolBufferException exception)
        {
            rejection = new Rejection(RejectionReason.NotTheSchema, $"the value is not a FrameFeatures message: {exception.Message}");
            return null;
        }

        rejection = CheckFields(features);
        if (rejection is not null)
        {
            return null;
        }

        ModelLease lease;
        try
        {
            lease = models.Acquire(features.Model);
        }
        catch (ModelLoadException exception)
        {
            rejection = new Rejection(RejectionReason.UnknownModel, exception.Message);
            return null;
        }

        DecodedFrame? frame = null;
        try
        {
            frame = DecodePayload(message, features, headers, lease, started, out rejection);
            return frame;
        }
        finally
        {
            // A rejected request releases the lease here, and a decoded frame releases it when it is disposed.
            if (frame is null)
            {
                lease.Dispose();
            }
        }
    }

    private DecodedFrame? DecodePayload(
        InboundMessage message,
        FrameFeatures features,
        RequestHeaders headers,
        ModelLease lease,
        long started,
        out Rejection? rejection)
    {
        (Mat? image, ImageRejection? imageRejection) =
            ImageCodec.Decode(features.Payload.Span, features.Encoding, options.MaxInputSide, options.MaxInputSide);
        if (image is null)
        {
            string reason = imageRejection!.Reason == ImageRejectionReason.TooLarge ? RejectionReason.TooLarge : RejectionReason.UndecodablePayload;
            rejection = new Rejection(reason, imageRejection.Detail);
            return null;
        }

        using (image)
        {
            if (image.Width != features.Width || image.Height != features.Height)
            {
                rejection = new Rejection(
                    RejectionReason.SizeMismatch,
                    $"the payload is {image.Width}x{image.Height} but the message declares {features.Width}x{features.Height}");
                return null;
            }

            if (features.FeatureKind != FeatureKind.FullFrame)
            {
                return Pack(message, features, headers, lease, image, started, out rejection);
            }

            // Without a media time (an older edge), the capture clock is used instead, because only differences matter.
            TimeSpan mediaTime = features.HasMediaTimeUs
                ? TimeSpan.FromMicroseconds(features.MediaTimeUs)
                : TimeSpan.FromTicks(features.CaptureTime.ToDateTimeOffset().UtcTicks);
            string? filter = filters.Evaluate(features.CameraId, image, mediaTime);
            if (filter is not null)
            {
                rejection = Rejection.Filtered(filter);
                return null;
            }

            int scale = lease.Model.Manifest.ScaleFactor;
            if (image.Width < scale || image.Height < scale)
            {
                rejection = new Rejection(
                    RejectionReason.InvalidFields,
                    $"the frame is {image.Width}x{image.Height}, smaller than the scale factor {scale}");
                return null;
            }

            // Area averaging, as the edge downscales in hybrid mode.
            using var reduced = new Mat();
            Cv2.Resize(image, reduced, new Size(image.Width / scale, image.Height / scale), 0, 0, InterpolationFlags.Area);
            return Pack(message, features, headers, lease, reduced, started, out rejection);
        }
    }

    private static DecodedFrame Pack(
        InboundMessage message,
        FrameFeatures features,
        RequestHeaders headers,
        ModelLease lease,
        Mat image,
        long started,
        out Rejection? rejection)
    {
        int length = image.Width * image.Height * 3;
        float[] tensor = ArrayPool<float>.Shared.Rent(length);
        FrameTensor.Pack(image, tensor.AsSpan(0, length), lease.Model.InputFormat);
        double decodeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        rejection = null;
        return new DecodedFrame(message, features, headers, lease, tensor, image.Width, image.Height, decodeMs);
    }

    private Rejection? CheckFields(FrameFeatures features)
    {
        if (features.SchemaVersion != SchemaVersions.FrameFeatures)
        {
            return new Rejection(
                RejectionReason.UnknownSchemaVersion,
                $"schema_version {features.SchemaVersion} is not supported; this worker reads version {SchemaVersions.FrameFeatures}");
        }

        if (!CameraIds.IsValid(features.CameraId))
        {
            return new Rejection(RejectionReason.InvalidFields, "camera_id is empty, longer than 64 characters or has invalid characters");
        }

        if (features.FeatureKind is not (FeatureKind.Downscaled or FeatureKind.FullFrame))
        {
            return new Rejection(RejectionReason.UnsupportedFeatureKind, $"feature_kind {features.FeatureKind} is not supported");
        }

        if (features.Width == 0 || features.Height == 0 || features.Width > options.MaxInputSide || features.Height > options.MaxInputSide)
        {
            return new Rejection(
                RejectionReason.TooLarge,
                $"the declared size {features.Width}x{features.Height} is empty or over the limit of {options.MaxInputSide} per side");
        }

        return null;
    }

    private static bool IsValidTopicName(string? topic) =>
        topic is { Length: > 0 and <= 249 } && topic is not ("." or "..") &&
        topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
