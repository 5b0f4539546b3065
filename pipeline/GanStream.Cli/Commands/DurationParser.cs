using System.Globalization;

namespace GanStream.Cli.Commands;

/// <summary>
/// Reads durations written as a number and a unit (<c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>) or as
/// <c>hh:mm:ss</c>.
/// </summary>
internal static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string value = text.Trim();
        (string suffix, double seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach ((string suffix, double seconds) in units)
        {
            if (!value.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string digits = value[..^suffix.Length];
            if (double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) &&
                number >= 0 && double.IsFinite(number))
            {
                duration = TimeSpan.FromSeconds(number * seconds);
                return true;
            }
        }

        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }
}
