using GanStream.Schemas;

namespace GanStream.Edge.Publishing;

/// <summary>
/// Where a camera's features go: the features topic (<see cref="FeaturePublisher"/>), or the edge's own generator
/// in edge-only mode (<see cref="LocalSynthesisSink"/>). Either way the outcome comes back through the edge's
/// <see cref="Replies.ResultMatcher"/>.
/// </summary>
public interface IFeatureSink : IDisposable
{
    /// <summary>
    /// Hands over a frame's features; the frame must already be in <see cref="InFlightFrames"/>. A frame that cannot
    /// be handed over is settled as dropped.
    /// </summary>
    /// <returns>False when the frame was settled as dropped.</returns>
    Task<bool> PublishAsync(PendingFrame frame, FrameFeatures features, CancellationToken cancellationToken);

    /// <summary>Waits until what was handed over is accepted or <paramref name="timeout"/> passes.</summary>
    /// <returns>Number of frames not yet accepted.</returns>
    int Flush(TimeSpan timeout);
}
