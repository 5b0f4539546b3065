using System.Globalization;

namespace GanStream.Cli.Soak;

/// <summary>The table of a soak run and its final verdict.</summary>
internal static class SoakReport
{
    /// <summary>Largest growth of the resident set allowed from minute 1 to the end, as a fraction.</summary>
    public const double MaxRssGrowth = 0.05;

    /// <summary>Shortest run whose memory is judged: minute 1 is the baseline, and warm-up must be over.</summary>
    public static readonly TimeSpan MinJudgedDuration = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan BaselineTime = TimeSpan.FromMinutes(1);
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void WriteHeader(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(
            "   time     read filtered  dropped     sent    synth rejected  expired  queued inflight reconn  ok " +
            "  rss MB  heap MB  fault");
    }

    public static void WriteRow(TextWriter output, SoakSample sample)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sample);
        output.WriteLine(string.Create(
            Invariant,
            $"{sample.Elapsed,7:hh\\:mm\\:ss} {sample.Read,8} {sample.Filtered,8} {sample.Dropped,8} {sample.Sent,8} " +
            $"{sample.Synthesized,8} {sample.Rejected,8} {sample.Expired,8} {sample.Queued,7} {sample.InFlight,8} " +
            $"{sample.Reconnects,6} {(sample.Reconciles ? "yes" : "NO"),3} {Megabytes(sample.RssBytes),8:F1} " +
            $"{Megabytes(sample.HeapBytes),8:F1}  {sample.Fault}"));
    }

    /// <summary>Writes the verdict and returns whether the run passed.</summary>
    /// <param name="samples">Rows taken while the pipeline ran under load.</param>
    /// <param name="final">The counts after the pipeline stopped.</param>
    public static bool WriteVerdict(
        TextWriter output,
        IReadOnlyList<SoakSample> samples,
        SoakSample final,
        FaultInjector faults,
        long deadLetters,
        int seed)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(final);
        ArgumentNullException.ThrowIfNull(faults);

        output.WriteLine();
        output.WriteLine("after stop:");
        WriteHeader(output);
        WriteRow(output, final);
        output.WriteLine();

        int unreconciled = samples.Count(s => !s.Reconciles) + (final.Reconciles ? 0 : 1);
        bool countsPass = unreconciled == 0;
        int total = samples.Count + 1;
        output.WriteLine(string.Create(
            Invariant,
            $"counts reconcile:  {(countsPass ? "yes" : "NO")}, at {total - unreconciled} of {total} samples (the last after stop)"));

        int corrupt = faults.CorruptMessagesDelivered;
        bool deadLettersPass = deadLetters >= corrupt;
        string missing = deadLettersPass ? string.Empty : " (MISSING)";
        output.WriteLine(string.Create(
            Invariant,
            $"dead letters:      {deadLetters} on the dead-letter topic for {corrupt} corrupt messages injected{missing}"));

        bool memoryPass = WriteMemoryVerdict(output, samples);
        string injected = string.Join(", ", faults.Counts.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"));
        string faultList = injected.Length == 0 ? "none" : injected;
        output.WriteLine($"faults injected:   {faultList} (seed {seed.ToString(Invariant)})");

        bool pass = countsPass && deadLettersPass && memoryPass;
        output.WriteLine($"verdict:           {(pass ? "PASS" : "FAIL")}");
        return pass;
    }

    private static bool WriteMemoryVerdict(TextWriter output, IReadOnlyList<SoakSample> samples)
    {
        SoakSample? baseline = samples.FirstOrDefault(s => s.Elapsed >= BaselineTime);
        SoakSample? last = samples.Count > 0 ? samples[^1] : null;
        if (baseline is null || last is null || last.Elapsed < MinJudgedDuration)
        {
            double minutes = MinJudgedDuration.TotalMinutes;
            output.WriteLine($"resident memory:   not judged; the run is shorter than {minutes:F0} minutes");
            return true;
        }

        double growth = (double)(last.RssBytes - baseline.RssBytes) / baseline.RssBytes;
        bool pass = growth <= MaxRssGrowth;
        output.WriteLine(string.Create(
            Invariant,
            $"resident memory:   {Megabytes(baseline.RssBytes):F1} MB at {baseline.Elapsed:hh\\:mm\\:ss}, " +
            $"{Megabytes(last.RssBytes):F1} MB at {last.Elapsed:hh\\:mm\\:ss}: {growth * 100:+0.0;-0.0}% " +
            $"(limit +{MaxRssGrowth * 100:F0}%) {(pass ? "PASS" : "FAIL")}"));
        return pass;
    }

    private static double Megabytes(long bytes) => bytes / (1024.0 * 1024.0);
}
