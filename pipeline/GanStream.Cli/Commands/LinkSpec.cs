using System.Globalization;
using GanStream.Cli.Hosting;

namespace GanStream.Cli.Commands;

/// <summary>Reads <c>--link UP/DOWN/RTT[/JITTER]</c> into the <c>Link</c> configuration section.</summary>
internal static class LinkSpec
{
    private static readonly string[] Keys = ["Link:UplinkMbps", "Link:DownlinkMbps", "Link:RoundTripMs", "Link:JitterMs"];

    /// <exception cref="CliException">The value is not three or four non-negative numbers separated by '/'.</exception>
    public static void Apply(string value, HostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(settings);
        string[] parts = value.Split('/');
        if (parts.Length is < 3 or > 4)
        {
            throw Invalid(value);
        }

        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ||
                !double.IsFinite(number) || number < 0)
            {
                throw Invalid(value);
            }

            settings.Set(Keys[i], number);
        }
    }

    private static CliException Invalid(string value) =>
        new($"--link: '{value}' is not UP/DOWN/RTT[/JITTER] with non-negative numbers, for example 20/50/30 " +
            "(20 Mbit/s up, 50 Mbit/s down, 30 ms round trip).");
}
