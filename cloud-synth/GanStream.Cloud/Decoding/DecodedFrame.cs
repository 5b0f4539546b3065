using System.Buffers;
using GanStream.Cloud.Consuming;
using GanStream.Pipeline.Messaging;
using GanStream.Pipeline.Models;
using GanStream.Schemas;

namespace GanStream.Cloud.Decoding;

/// <summary>
/// A request ready for inference: the message, the model it asks for, and its features as a tensor in a pooled
/// buffer that <see cref="Dispose"/> returns.
/// </summary>
public sealed class DecodedFrame : IDisposable
{
    private float[]? tensor;

    internal DecodedFrame(
        InboundMessage message,
        FrameFeatures features,
        RequestHeaders headers,
        SuperResolutionModel model,
        float[] tensor,
        int width,
        int height,
        double decodeMs)
    {
        Message = message;
        Features = features;
        Headers = headers;
        Model = model;
        this.tensor = tensor;
        Width = width;
        Height = height;
        DecodeMs = decodeMs;
        ReadyTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public InboundMessage Message { get; }

    public FrameFeatures Features { get; }

    public RequestHeaders Headers { get; }

    public SuperResolutionModel Model { get; }

    public int Width { get; }

    public int Height { get; }

    public double DecodeMs { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp when decoding finished.</summary>
    public long ReadyTimestamp { get; }

    /// <summary>The features in the model's input format: 3 x height x width values.</summary>
    public ReadOnlySpan<float> Tensor
    {
        get
        {
            ObjectDisposedException.ThrowIf(tensor is null, this);
            return tensor.AsSpan(0, Width * Height * 3);
        }
    }

    public void Dispose()
    {
        float[]? buffer = Interlocked.Exchange(ref tensor, null);
        if (buffer is not null)
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}

/// <summary>Headers of a request that the worker needs to reply.</summary>
public sealed record RequestHeaders(string CorrelationId, string ReplyTopic, TraceParent TraceParent);
