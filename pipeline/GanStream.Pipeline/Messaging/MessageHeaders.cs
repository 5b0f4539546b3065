using System.Text;
using Confluent.Kafka;

namespace GanStream.Pipeline.Messaging;

/// <summary>Names and accessors of the Kafka headers that travel with every pipeline message.</summary>
public static class MessageHeaders
{
    /// <summary>Identifier of one frame, set by the edge and copied into its result.</summary>
    public const string CorrelationId = "correlation-id";

    /// <summary>Topic the worker sends the result to.</summary>
    public const string ReplyTopic = "reply-topic";

    /// <summary>W3C Trace Context <c>traceparent</c>.</summary>
    public const string TraceParent = "traceparent";

    public const string ContentType = "content-type";

    /// <summary>Reason a message was sent to the dead-letter topic.</summary>
    public const string DeadLetterReason = "dead-letter-reason";

    /// <summary>Human-readable detail of a dead-letter reason; bounded in length, never payload bytes.</summary>
    public const string DeadLetterDetail = "dead-letter-detail";

    /// <summary>
    /// On a dead letter whose request value was too large to copy: the value's size in bytes. The dead letter then
    /// has no value.
    /// </summary>
    public const string DeadLetterValueOmitted = "dead-letter-value-omitted";

    public const string SourceTopic = "source-topic";

    public const string SourcePartition = "source-partition";

    public const string SourceOffset = "source-offset";

    public const string FrameFeaturesContentType = "application/x-protobuf; proto=ganstream.v1.FrameFeatures";

    public const string SynthesisResultContentType = "application/x-protobuf; proto=ganstream.v1.SynthesisResult";

    /// <summary>Longest header value read as text; longer values are treated as missing.</summary>
    public const int MaxValueBytes = 512;

    /// <summary>Adds a UTF-8 header.</summary>
    public static void AddString(this Headers headers, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.Add(name, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Reads the last header with <paramref name="name"/> as UTF-8, or null when it is missing or too long.</summary>
    public static string? GetString(this Headers? headers, string name)
    {
        if (headers is null || !headers.TryGetLastBytes(name, out byte[] bytes))
        {
            return null;
        }

        if (bytes is null || bytes.Length > MaxValueBytes)
        {
            return null;
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
