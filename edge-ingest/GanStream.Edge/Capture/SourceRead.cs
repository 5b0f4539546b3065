using OpenCvSharp;

namespace GanStream.Edge.Capture;

/// <summary>The result of one read from a camera source.</summary>
/// <param name="Status">What the read returned.</param>
/// <param name="Image">The frame, owned by the caller, when <paramref name="Status"/> is a frame.</param>
/// <param name="Reason">Short, bounded reason of a rejected frame or a failure, usable as a metric label.</param>
/// <param name="Detail">Description for logs; never payload bytes.</param>
public readonly record struct SourceRead(SourceReadStatus Status, Mat? Image, string Reason, string Detail)
{
    public static SourceRead Ended { get; } = new(SourceReadStatus.Ended, null, "ended", string.Empty);

    public static SourceRead Stalled { get; } = new(SourceReadStatus.Stalled, null, "stalled", string.Empty);

    public static SourceRead FromImage(Mat image) => new(SourceReadStatus.Frame, image, string.Empty, string.Empty);

    public static SourceRead Reject(string reason, string detail) => new(SourceReadStatus.Rejected, null, reason, detail);

    public static SourceRead Fail(string detail) => new(SourceReadStatus.Failed, null, "read-failed", detail);
}
