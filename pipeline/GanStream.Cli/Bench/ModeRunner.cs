using GanStream.Cli.Hosting;

namespace GanStream.Cli.Bench;

/// <summary>
/// Runs one deployment mode at two load points. Saturation reads the clip as fast as the pipeline takes frames, with
/// no rate cap. Latency then reads the clip at its own frame rate, with the edge's rate filter at a sustainable rate
/// (by default half the saturation rate). What reached the broker shows whether the mode really ran.
/// </summary>
internal sealed class ModeRunner
{
    private readonly BenchSettings settings;
    private readonly ClipInfo clip;
    private readonly LoadPointRunner runner;

    public ModeRunner(BenchSettings settings, ClipInfo clip, LoadPointRunner runner)
    {
        this.settings = settings;
        this.clip = clip;
        this.runner = runner;
    }

    /// <returns>The mode's figures, and the saturation outcome whose images feed the quality scores.</returns>
    public async Task<(ModeResult Result, LoadPointOutcome? Saturation)> RunAsync(string mode, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        LoadPointOutcome saturation;
        try
        {
            saturation = await runner.RunAsync(mode, SaturationSpec(), cancellationToken);
        }
        catch (CliException exception)
        {
            notes.Add(exception.Message);
            return (new ModeResult(mode, "failed", notes, null, null, null), null);
        }

        if (saturation.Frames.Count == 0)
        {
            notes.Add("no frame was synthesized at the saturation load point, so the latency point was not run");
            return (new ModeResult(mode, "failed", notes, saturation.Result, null, null), saturation);
        }

        if (CheckMode(mode, saturation.Result.Uplink) is { } mismatch)
        {
            notes.Add(mismatch);
            notes.Add("the latency load point was not run, because its figures would belong to another mode");
            return (new ModeResult(mode, "not-verified", notes, saturation.Result, null, null), saturation);
        }

        LoadPointResult? latency = null;
        double rate = settings.LatencyFramesPerSecond ?? (saturation.Result.FramesPerSecond ?? 0) / 2;
        if (rate > 0)
        {
            LoadPointSpec spec = LatencySpec(rate);
            if (spec.ExpectedFrames < settings.LatencyFrames)
            {
                notes.Add($"the clip of {clip.FrameCount} frames holds about {spec.ExpectedFrames} frames at " +
                    $"{rate:F2} frames/s, fewer than the {settings.LatencyFrames} requested for the latency load point");
            }

            try
            {
                latency = (await runner.RunAsync(mode, spec, cancellationToken)).Result;
            }
            catch (CliException exception)
            {
                notes.Add($"latency load point: {exception.Message}");
            }
        }
        else
        {
            notes.Add("the saturation rate is unknown, so the latency point was not run");
        }

        return (new ModeResult(mode, "ok", notes, saturation.Result, latency, null), saturation);
    }

    /// <summary>
    /// Checks the features the broker received against the mode: downscaled features in hybrid mode and full frames
    /// in cloud-only mode.
    /// </summary>
    /// <returns>Why the run does not match its mode, or null when it does or the broker has no record to check.</returns>
    public static string? CheckMode(string mode, UplinkBytes uplink)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        if (uplink.BrokerMessagesRead == 0)
        {
            return null;
        }

        long fullFrames = uplink.FeatureKinds.GetValueOrDefault("FullFrame");
        long downscaled = uplink.FeatureKinds.GetValueOrDefault("Downscaled");
        return mode switch
        {
            BenchModes.CloudOnly when fullFrames == 0 =>
                $"the edge sent {downscaled} downscaled features and no full frame, so it did not run in cloud-only " +
                "mode; this build may not apply Pipeline:Mode yet",
            BenchModes.Hybrid when downscaled == 0 =>
                $"the edge sent {fullFrames} full frames and no downscaled features, so it did not run in hybrid mode",
            _ => null,
        };
    }

    private LoadPointSpec SaturationSpec() => new(
        "saturation",
        null,
        RealTime: false,
        settings.Frames,
        Loop: settings.Frames > clip.FrameCount,
        SaveImages: !settings.SkipQuality,
        settings.Frames);

    private LoadPointSpec LatencySpec(double rate)
    {
        // The rate filter works on the clip's timeline, so reading at the clip's own rate turns it into a real rate.
        double effective = Math.Min(rate, clip.FramesPerSecond);
        long wanted = (long)Math.Ceiling(settings.LatencyFrames * clip.FramesPerSecond / effective);

        // NOTE: the edge reads a looped file at its own rate only on the first pass, so the latency point stays
        // within one pass of the clip and sends fewer frames when the clip is too short.
        long framesRead = Math.Min(wanted, clip.FrameCount);
        int expected = (int)Math.Min(settings.LatencyFrames, Math.Ceiling(framesRead * effective / clip.FramesPerSecond));
        double? cap = rate < clip.FramesPerSecond ? Math.Round(rate, 3) : null;
        return new LoadPointSpec("latency", cap, RealTime: true, framesRead, Loop: false, SaveImages: false, expected);
    }
}
