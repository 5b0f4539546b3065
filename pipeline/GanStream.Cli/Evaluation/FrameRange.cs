using System.Globalization;
using GanStream.Cli.Hosting;

namespace GanStream.Cli.Evaluation;

/// <summary>The frames of the input to evaluate, numbered from 0 across all inputs in the order given.</summary>
/// <param name="First">First frame, inclusive.</param>
/// <param name="Last">Last frame, inclusive; null for the end of the input.</param>
internal readonly record struct FrameRange(long First, long? Last)
{
    public static FrameRange All => new(0, null);

    public bool Contains(long frame) => frame >= First && (Last is null || frame <= Last);

    public bool IsPast(long frame) => Last is { } last && frame > last;

    /// <summary>Parses <c>N</c> (the first N frames), <c>A-B</c> (frames A to B inclusive) or <c>A-</c> (A to the end).</summary>
    /// <exception cref="CliException">The text has none of these forms.</exception>
    public static FrameRange Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }

        string value = text.Trim();
        int dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            long count = ParseNumber(value, text);
            if (count < 1)
            {
                throw Invalid(text);
            }

            return new FrameRange(0, count - 1);
        }

        long first = ParseNumber(value[..dash], text);
        string end = value[(dash + 1)..];
        long? last = end.Length == 0 ? null : ParseNumber(end, text);
        if (last < first)
        {
            throw Invalid(text);
        }

        return new FrameRange(first, last);
    }

    public override string ToString() =>
        Last is { } last
            ? string.Create(CultureInfo.InvariantCulture, $"{First}-{last}")
            : string.Create(CultureInfo.InvariantCulture, $"{First}-end");

    private static long ParseNumber(string part, string text) =>
        long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out long number) ? number : throw Invalid(text);

    private static CliException Invalid(string text) =>
        new($"--frames '{text}' is invalid; use N for the first N frames, A-B for frames A to B (from 0), " +
            "or A- for A to the end.");
}
