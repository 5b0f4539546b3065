using GanStream.Edge.Publishing;
using GanStream.Schemas;

namespace GanStream.Edge.Replies;

/// <summary>Receives each synthesized result matched to a frame this edge sent. Called on the listener thread.</summary>
public interface IResultObserver
{
    void OnResult(PendingFrame frame, SynthesisResult result, TimeSpan latency);
}
