namespace GanStream.Cli.Bench;

/// <summary>
/// The deployment modes, as values of <c>Pipeline:Mode</c>: <c>hybrid</c> (the edge sends downscaled features and the
/// cloud runs the large model), <c>cloud-only</c> (the edge sends full frames, the cloud filters, downscales and
/// synthesizes) and <c>edge-only</c> (the edge runs a small generator itself, without broker or cloud).
/// </summary>
internal static class BenchModes
{
    public const string Hybrid = "hybrid";
    public const string CloudOnly = "cloud-only";
    public const string EdgeOnly = "edge-only";

    public static IReadOnlyList<string> All { get; } = [Hybrid, CloudOnly, EdgeOnly];

    /// <summary>Whether the mode uses the broker and a synthesis worker.</summary>
    public static bool UsesCloud(string mode) => mode != EdgeOnly;
}
