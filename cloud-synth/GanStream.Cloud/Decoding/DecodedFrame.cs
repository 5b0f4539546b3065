using System.Buffers;
using GanStream.Cloud.Consuming;
using GanStream.Pipeline.Messaging;
using GanStream.Pipeline.Models;
using GanStream.Schemas;

namespace GanStream.Cloud.Decoding;

/// <summary>
/// A request ready for inference: the message, a lease on the model it requests, and its features as a tensor in a
/// pooled buffer. <see cref="Dispose"/> returns the buffer and releases the lease, so a replaced model version stays
/// loaded until its last frame is done.
/// </summary>
public sealed class DecodedFrame : IDisposable
{
    private readonly ModelLease lease;
    private float[]? tensor;

    internal DecodedFrame(
        InboundMessage message,
        FrameFeatures features,
        RequestHeaders headers,
        ModelLease lease,
        float[] tensor,
        int width,
        int height,
        double decodeMs)
    {
        Message = message;
        Features = features;
        Headers = headers;
        this.lease = lease;
        Model = lease.Model;
        Tiled = Model.Tiling.Applies(height, width);
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

    /// <summary>Whether the frame runs alone in tiles rather than in a batch of whole frames.</summary>
    public bool Tiled { get; }

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
            lease.Dispose();
        }
    }
}

/// <summary>Headers of a request that the worker needs to reply.</summary>
public sealed record RequestHeaders(string CorrelationId, string ReplyTopic, TraceParent TraceParent);
