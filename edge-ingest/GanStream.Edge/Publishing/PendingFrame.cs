using GanStream.Edge.Accounting;
using GanStream.Schemas;

namespace GanStream.Edge.Publishing;

/// <summary>A frame sent to the workers and waiting for its result.</summary>
public sealed class PendingFrame
{
    private bool acknowledged;

    internal PendingFrame(
        string correlationId,
        CameraAccount account,
        ulong sequence,
        long captureTimestamp,
        byte[]? originalImage,
        SemaphoreSlim window)
    {
        CorrelationId = correlationId;
        Account = account;
        Sequence = sequence;
        CaptureTimestamp = captureTimestamp;
        OriginalImage = originalImage;
        Window = window;
        SentTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public string CorrelationId { get; }

    public CameraAccount Account { get; }

    public string CameraId => Account.CameraId;

    public ulong Sequence { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp when the frame was read.</summary>
    public long CaptureTimestamp { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp when the frame was sent.</summary>
    public long SentTimestamp { get; }

    /// <summary>The input frame, JPEG-compressed, when side-by-side output is on.</summary>
    public byte[]? OriginalImage { get; }

    /// <summary>
    /// The feature message sent for this frame, whose payload is the image the workers received. Kept while the
    /// frame is in flight so that result observers such as the live viewer can show it without encoding it again.
    /// </summary>
    public FrameFeatures? Features { get; init; }

    /// <summary>True once the broker acknowledged the frame's message.</summary>
    public bool Acknowledged => Volatile.Read(ref acknowledged);

    internal SemaphoreSlim Window { get; }

    /// <summary>Records the broker's acknowledgement; called from a librdkafka thread.</summary>
    internal void MarkAcknowledged() => Volatile.Write(ref acknowledged, true);
}
