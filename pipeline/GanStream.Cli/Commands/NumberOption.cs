using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace GanStream.Cli.Commands;

/// <summary>
/// Creates numeric options whose parse errors name the option, the unit and the value given, instead of a .NET
/// type name.
/// </summary>
internal static class NumberOption
{
    /// <summary>A number of 0 or more, or null when the option is not given.</summary>
    public static Option<double?> NonNegativeDouble(string name, string unit, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result => Parse<double>(result, name, unit, TryParseNumber, value => value >= 0 && double.IsFinite(value)),
        };

    /// <summary>A whole number of 0 or more, or null when the option is not given.</summary>
    public static Option<long?> NonNegativeInteger(string name, string unit, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result => Parse<long>(result, name, unit, TryParseInteger, value => value >= 0),
        };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or null when not given.</summary>
    public static Option<int?> IntegerInRange(string name, string unit, int min, int max, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result => Parse<int>(
                result,
                name,
                unit,
                (string text, NumberStyles _, IFormatProvider provider, out int value) =>
                    int.TryParse(text, NumberStyles.Integer, provider, out value),
                value => value >= min && value <= max,
                $"from {min} to {max}"),
        };

    private delegate bool TryParser<T>(string text, NumberStyles styles, IFormatProvider provider, out T value);

    private static T? Parse<T>(
        ArgumentResult result,
        string name,
        string unit,
        TryParser<T> tryParse,
        Func<T, bool> isValid,
        string range = "0 or more")
        where T : struct
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (!tryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out T value))
        {
            result.AddError($"{name} expects a number ({unit}), got '{text}'.");
            return null;
        }

        if (!isValid(value))
        {
            result.AddError($"{name} must be {range} ({unit}), got {text}.");
            return null;
        }

        return value;
    }

    private static bool TryParseNumber(string text, NumberStyles styles, IFormatProvider provider, out double value) =>
        double.TryParse(text, styles, provider, out value);

    private static bool TryParseInteger(string text, NumberStyles styles, IFormatProvider provider, out long value) =>
        long.TryParse(text, NumberStyles.Integer, provider, out value);
}
