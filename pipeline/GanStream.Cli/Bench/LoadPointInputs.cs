namespace GanStream.Cli.Bench;

/// <summary>What a finished load point left behind, for <see cref="LoadPointAnalysis"/>.</summary>
/// <param name="ReadBroker">Reads the features topic back, or null when the mode used no broker.</param>
internal sealed record LoadPointInputs(
    string Mode,
    LoadPointSpec Spec,
    string FrameLogPath,
    string? ImageDirectory,
    IReadOnlyList<CpuTimeline> Timelines,
    DateTimeOffset Started,
    IReadOnlyDictionary<string, int?> ExitCodes,
    IReadOnlyDictionary<string, string> Logs,
    IReadOnlyList<string> Notes,
    Func<UplinkBytes>? ReadBroker);
