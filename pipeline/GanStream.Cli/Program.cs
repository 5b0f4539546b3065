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
        root.Subcommands.Add(SoakCommand.Create());

        try
        {
            // SIGTERM and Ctrl+C are left to the host's console lifetime, which stops the services in order;
            // System.CommandLine would otherwise cancel the command and end the process after two seconds.
            var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
            return await root.Parse(args).InvokeAsync(invocation);
        }
        catch (Exception exception) when (exception is CliException or ModelLoadException)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return UsageErrorExitCode;
        }
    }
}
