namespace GanStream.Cli.Bench;

/// <summary>The figures of a load point, with the frames and images they came from.</summary>
internal sealed record LoadPointOutcome(LoadPointResult Result, IReadOnlyList<FrameRecord> Frames, string? ImageDirectory);
