using GanStream.Edge.Publishing;
using GanStream.Schemas;

namespace GanStream.Edge.Replies;

/// <summary>Receives each synthesized result matched to a frame this edge sent. Called on the listener thread.</summary>
public interface IResultObserver
{
    void OnResult(PendingFrame frame, SynthesisResult result, TimeSpan latency);

    /// <summary>
    /// Releases what the observer keeps for a camera that was removed from the running edge. Called on the listener
    /// thread while it runs, after the last result of that camera; the default does nothing.
    /// </summary>
    void OnCameraRemoved(string cameraId)
    {
    }
}
