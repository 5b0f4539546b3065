using System.Diagnostics;
using System.Globalization;

namespace GanStream.Cli.Bench;

/// <summary>
/// Progress of the bench on standard error, one line per phase: rewritten in place on a terminal, or printed every
/// <see cref="RedirectedInterval"/> and at the end of the phase when the output goes to a file or a pipe.
/// </summary>
internal sealed class BenchProgress
{
    public static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(10);

    private readonly TextWriter writer;
    private readonly bool interactive;

    public BenchProgress(TextWriter writer, bool interactive)
    {
        this.writer = writer;
        this.interactive = interactive;
    }

    public static BenchProgress ForConsole() => new(Console.Error, !Console.IsErrorRedirected);

    /// <summary>Starts a phase that counts frames up to <paramref name="total"/>.</summary>
    public PhaseProgress Phase(string name, int total) => new(this, name, total);

    /// <summary>Starts a phase without a count, such as a service start; ends with the elapsed time.</summary>
    public PhaseProgress Waiting(string name) => new(this, name, null);

    internal void Write(string line, bool final)
    {
        lock (writer)
        {
            if (interactive)
            {
                writer.Write($"\r{line.PadRight(90)}");
                if (final)
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

    internal bool Interactive => interactive;
}

/// <summary>One phase of <see cref="BenchProgress"/>; disposing it prints the final line.</summary>
internal sealed class PhaseProgress : IDisposable
{
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(500);

    private readonly BenchProgress owner;
    private readonly string name;
    private readonly int? total;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan? lastShown;
    private int done;
    private bool ended;

    internal PhaseProgress(BenchProgress owner, string name, int? total)
    {
        this.owner = owner;
        this.name = name;
        this.total = total;
        Show(final: false);
    }

    /// <summary>Records that <paramref name="count"/> frames are done, and shows it unless the last line is too recent.</summary>
    public void Report(int count)
    {
        done = count;
        TimeSpan interval = owner.Interactive ? TerminalInterval : BenchProgress.RedirectedInterval;
        if (lastShown is { } shown && clock.Elapsed - shown < interval)
        {
            return;
        }

        Show(final: false);
    }

    public void Dispose()
    {
        if (ended)
        {
            return;
        }

        ended = true;
        Show(final: true);
    }

    private void Show(bool final)
    {
        lastShown = clock.Elapsed;
        string elapsed = clock.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);
        string line = total is { } count
            ? $"{name}: {done}/{count} frames, {elapsed} s"
            : $"{name}: {(final ? "done" : "waiting")}, {elapsed} s";
        owner.Write(line, final);
    }
}
