namespace GanStream.Cli.Bench;

/// <summary>How the edge reads the clip at one load point.</summary>
/// <param name="Name"><c>saturation</c> or <c>latency</c>.</param>
/// <param name="RateCap">The edge's rate filter in frames per second, or null for none.</param>
/// <param name="RealTime">Read the clip at its own frame rate instead of as fast as the pipeline takes frames.</param>
/// <param name="MaxFrames">Frames read from the clip.</param>
/// <param name="Loop">Read the clip again from its start when it ends, for runs longer than the clip.</param>
/// <param name="SaveImages">Have the edge save each synthesized image, for the quality scores.</param>
/// <param name="ExpectedFrames">Frames expected to be synthesized, for the progress display.</param>
internal sealed record LoadPointSpec(
    string Name,
    double? RateCap,
    bool RealTime,
    long MaxFrames,
    bool Loop,
    bool SaveImages,
    int ExpectedFrames);
