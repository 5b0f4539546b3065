using System.Diagnostics;
using System.Globalization;

namespace GanStream.Cli.Evaluation;

/// <summary>
/// Progress of a long step on standard error: one line rewritten in place on a terminal, or a line every
/// <see cref="RedirectedInterval"/> when the output goes to a file. Safe to call from several threads.
/// </summary>
internal sealed class ProgressDisplay
{
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(15);

    private readonly string label;
    private readonly int total;
    private readonly TextWriter writer = Console.Error;
    private readonly bool interactive = !Console.IsErrorRedirected;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Lock gate = new();
    private TimeSpan? lastShown;

    public ProgressDisplay(string label, int total)
    {
        this.label = label;
        this.total = total;
    }

    /// <summary>Shows that <paramref name="done"/> frames are finished, unless the last line is too recent.</summary>
    public void Report(int done)
    {
        lock (gate)
        {
            TimeSpan now = clock.Elapsed;
            TimeSpan interval = interactive ? TerminalInterval : RedirectedInterval;
            if (done < total && lastShown is { } shown && now - shown < interval)
            {
                return;
            }

            lastShown = now;
            double rate = done / Math.Max(now.TotalSeconds, 1e-3);
            string remaining = done > 0 && done < total
                ? string.Create(CultureInfo.InvariantCulture, $", about {(total - done) / rate:F0} s left")
                : string.Empty;
            string line = string.Create(
                CultureInfo.InvariantCulture,
                $"{label}: {done}/{total} frames, {rate:F2} frames/s{remaining}");
            if (interactive)
            {
                writer.Write($"\r{line.PadRight(100)}");
                if (done >= total)
                {
                    writer.WriteLine();
                }
            }
            else
            {
                writer.WriteLine(line);
            }
        }
    }
}
