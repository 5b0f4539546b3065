using GanStream.Cloud.Consuming;
using GanStream.Cloud.Decoding;
using GanStream.Schemas;

namespace GanStream.Cloud.Replying;

/// <summary>
/// Where the synthesis stages send what they finish: the reply topics through <see cref="ReplyPublisher"/> in a worker,
/// or the edge's own result handling when the edge synthesizes in its process.
/// </summary>
public interface IReplySink
{
    /// <summary>Sends a synthesized image to its requester.</summary>
    void PublishResult(DecodedFrame frame, SynthesisResult result);

    /// <summary>Reports a request that could not be processed.</summary>
    void PublishRejection(InboundMessage request, RequestHeaders? headers, FrameFeatures? features, Rejection rejection);

    /// <summary>Tells the requester that a whole frame was dropped by the filter <paramref name="filter"/>.</summary>
    void PublishFiltered(InboundMessage request, RequestHeaders headers, FrameFeatures features, string filter);
}
