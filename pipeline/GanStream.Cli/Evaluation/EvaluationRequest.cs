using GanStream.Pipeline.Models;

namespace GanStream.Cli.Evaluation;

/// <summary>The settings of one <c>ganstream evaluate</c> run, taken from its options.</summary>
internal sealed class EvaluationRequest
{
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary><c>model</c> or <c>pipeline</c>.</summary>
    public required string Mode { get; init; }

    public required IReadOnlyList<string> Inputs { get; init; }

    public FrameRange Frames { get; init; } = FrameRange.All;

    public string? InceptionPath { get; init; }

    public required string OutputDirectory { get; init; }

    public required string ModelRepository { get; init; }

    public InferenceOptions Inference { get; init; } = new();

    /// <summary>The command as typed, for the report.</summary>
    public string CommandLine { get; init; } = "ganstream evaluate";
}
