using GanStream.Edge.Features;
using GanStream.Edge.Output;
using GanStream.Edge.Publishing;
using GanStream.Edge.Replies;

namespace GanStream.Edge.Cameras;

/// <summary>What every camera of one edge run shares: created when the edge starts, disposed when it ends.</summary>
/// <param name="Route">Where features go, which filters run at the edge, and which model is asked for.</param>
/// <param name="AfterResults">
/// Runs an action where results are settled, after any result being settled now: the listener thread when results come
/// from the broker, or the matcher's lock in edge-only mode. A removed camera's series are deleted there, so that no
/// late result brings them back.
/// </param>
/// <param name="Observers">Every observer of results, the output writers included.</param>
internal sealed record CameraRuntime(
    FrameFeatureExtractor Extractor,
    FeatureRoute Route,
    OutputWriterSet Outputs,
    Func<Action, Task> AfterResults,
    IReadOnlyList<IResultObserver> Observers);
