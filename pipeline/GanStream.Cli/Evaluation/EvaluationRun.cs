using GanStream.Cli.Summary;
using GanStream.Quality.Evaluation;

namespace GanStream.Cli.Evaluation;

/// <summary>How one system ran during an evaluation.</summary>
/// <param name="Degradation">Features the model received, for example <c>x4, Jpeg 90</c>.</param>
/// <param name="Frames">Frames scored.</param>
/// <param name="ElapsedSeconds">Wall time of the pass, including decoding, scoring and feature extraction.</param>
/// <param name="InferenceSeconds">Time in the model alone (model mode), or null.</param>
/// <param name="Pipeline">The pipeline run's summary (pipeline mode), or null.</param>
internal sealed record EvaluationRun(
    EvaluatedSystem System,
    string ExecutionProvider,
    string Degradation,
    int Frames,
    double ElapsedSeconds,
    double? InferenceSeconds,
    RunSummary? Pipeline);
