using System.CommandLine;
using GanStream.Cli.Commands;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Models;

namespace GanStream.Cli;

/// <summary>Entry point of the <c>ganstream</c> command.</summary>
internal static class Program
{
    /// <summary>Exit code of a problem in the input or the environment that the message explains.</summary>
    public const int UsageErrorExitCode = 2;

    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("GAN image synthesis over Kafka: edge ingest, cloud synthesis workers, and tools.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(EdgeCommand.Create());
        root.Subcommands.Add(CloudCommand.Create());
        root.Subcommands.Add(TailCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(SoakCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());

        // Without the default handler, exceptions reach the catch blocks below instead of printing as unhandled.
        // SIGTERM and Ctrl+C are left to the host's console lifetime, which stops the services in order;
        // System.CommandLine would otherwise cancel the command and end the process after two seconds.
        var invocation = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'ganstream --help' or 'ganstream COMMAND --help' for the options.");
            return UsageErrorExitCode;
        }

        try
        {
            return await parse.InvokeAsync(invocation);
        }
        catch (Exception exception) when (exception is CliException or ModelLoadException)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return UsageErrorExitCode;
        }
        catch (InvalidOperationException exception) when (IsConfigurationValueError(exception))
        {
            // A setting of the wrong type (for example a word where a number belongs) in a file or a variable.
            string detail = StripParameterName(exception.InnerException?.Message ?? string.Empty);
            await Console.Error.WriteLineAsync($"error: {exception.Message} {detail}".TrimEnd());
            return UsageErrorExitCode;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM before the command finished; the command already stopped its services.
            return 130;
        }
        catch (Exception exception)
        {
            await Console.Error.WriteLineAsync($"error: unexpected failure: {exception}");
            return 1;
        }
    }

    /// <summary>Removes the " (Parameter 'name')" that .NET appends to an argument exception's message.</summary>
    private static string StripParameterName(string message)
    {
        int at = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }

    /// <summary>Whether the configuration binder failed to convert a setting to its type.</summary>
    private static bool IsConfigurationValueError(InvalidOperationException exception) =>
        exception.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal);
}
