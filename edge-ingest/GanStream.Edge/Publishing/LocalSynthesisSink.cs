using GanStream.Cloud.InProcess;
using GanStream.Schemas;

namespace GanStream.Edge.Publishing;

/// <summary>
/// Edge-only mode: features go straight into the synthesis stages running in this process, with no broker in the
/// path. A frame counts as acknowledged once the stages have accepted it.
/// </summary>
public sealed class LocalSynthesisSink : IFeatureSink
{
    private readonly InProcessSynthesis synthesis;
    private readonly InFlightFrames inFlight;

    public LocalSynthesisSink(InProcessSynthesis synthesis, InFlightFrames inFlight)
    {
        ArgumentNullException.ThrowIfNull(synthesis);
        ArgumentNullException.ThrowIfNull(inFlight);
        this.synthesis = synthesis;
        this.inFlight = inFlight;
    }

    public async Task<bool> PublishAsync(PendingFrame frame, FrameFeatures features, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        try
        {
            await synthesis.SubmitAsync(frame.CorrelationId, features, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            if (inFlight.TryRemove(frame.CorrelationId, out PendingFrame removed))
            {
                removed.Account.SentFrameDropped("shutdown");
            }

            return false;
        }

        frame.MarkAcknowledged();
        return true;
    }

    /// <summary>Nothing waits between this sink and the stages, so there is nothing to flush.</summary>
    public int Flush(TimeSpan timeout) => 0;

    /// <summary>The stages belong to the edge service, which drains and disposes them.</summary>
    public void Dispose()
    {
    }
}
