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
        root.Subcommands.Add(EvaluateCommand.Create());

        try
        {
            // Without this, System.CommandLine prints the stack trace of any exception and returns 1, so the
            // catch below, which prints the message alone and returns 2, would never run.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            return await root.Parse(args).InvokeAsync(invocation);
        }
        catch (Exception exception) when (exception is CliException or ModelLoadException)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return UsageErrorExitCode;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM stopped a command that does not handle cancellation itself: 128 + SIGINT.
            return 130;
        }
    }
}
