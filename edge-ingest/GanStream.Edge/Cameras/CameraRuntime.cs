using GanStream.Edge.Features;
using GanStream.Edge.Output;
using GanStream.Edge.Publishing;
using GanStream.Edge.Replies;

namespace GanStream.Edge.Cameras;

/// <summary>What every camera of one edge run shares: created when the edge starts, disposed when it ends.</summary>
/// <param name="Observers">Every observer of results, the output writers included.</param>
internal sealed record CameraRuntime(
    FrameFeatureExtractor Extractor,
    FeaturePublisher Publisher,
    OutputWriterSet Outputs,
    ResultListener Listener,
    IReadOnlyList<IResultObserver> Observers);
