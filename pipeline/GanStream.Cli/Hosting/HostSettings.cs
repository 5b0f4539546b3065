using Microsoft.Extensions.DependencyInjection;

namespace GanStream.Cli.Hosting;

/// <summary>How a command builds its host: configuration sources and values set by command-line options.</summary>
internal sealed class HostSettings
{
    /// <summary>Extra JSON configuration file, read after <c>appsettings.json</c>.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>
    /// Defaults of one command that differ from appsettings.json, for example a free metrics port for a one-off run;
    /// the configuration file, the environment and options override them.
    /// </summary>
    public Dictionary<string, string?> CommandDefaults { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Configuration values from command-line options; they override every other source.</summary>
    public Dictionary<string, string?> Overrides { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Brokers to use instead of those from configuration, for example a test's embedded cluster.</summary>
    public GanStream.Pipeline.Kafka.KafkaBootstrap? Bootstrap { get; init; }

    /// <summary>Services added after the command's own, for example a log provider in tests.</summary>
    public Action<IServiceCollection>? AddServices { get; set; }

    /// <summary>Log output: <c>text</c> (default) or <c>json</c>.</summary>
    public string LogFormat { get; init; } = "text";

    /// <summary>Sets a configuration key when the option was given.</summary>
    public void Set(string key, object? value)
    {
        if (value is null)
        {
            return;
        }

        Overrides[key] = value switch
        {
            bool flag => flag ? "true" : "false",
            IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }
}
