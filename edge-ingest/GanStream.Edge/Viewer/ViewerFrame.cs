namespace GanStream.Edge.Viewer;

/// <summary>The latest synthesized result of one camera with the input it was made from.</summary>
/// <param name="Sequence">Sequence number of the frame in its camera.</param>
/// <param name="Input">The input image, or null when the frame kept none.</param>
/// <param name="Output">The synthesized image as the worker sent it.</param>
/// <param name="Model">Model name and version that synthesized the image, as <c>name:version</c>.</param>
/// <param name="Latency">Time from reading the frame to matching its result.</param>
/// <param name="ResultsPerSecond">Results per second over the camera's latest results; null after the first one.</param>
/// <param name="ReceivedTimestamp"><see cref="System.Diagnostics.Stopwatch"/> timestamp when the result was matched.</param>
public sealed record ViewerFrame(
    ulong Sequence,
    ViewerImage? Input,
    ViewerInputKind InputKind,
    int SourceWidth,
    int SourceHeight,
    ViewerImage Output,
    string Model,
    string ExecutionProvider,
    TimeSpan Latency,
    double? ResultsPerSecond,
    long ReceivedTimestamp);
