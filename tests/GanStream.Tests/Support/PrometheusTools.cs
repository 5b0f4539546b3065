using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GanStream.Tests.Support;

/// <summary>Finds Debian's <c>prometheus</c> and <c>promtool</c> and runs promtool; tests skip when they are missing.</summary>
public static class PrometheusTools
{
    public const string InstallHint = "install with ops/install-deps.sh --test";

    /// <summary>Returns the path of <paramref name="program"/> on PATH, or skips the test when it is not installed.</summary>
    public static string Require(string program)
    {
        string? path = Find(program);
        if (path is null)
        {
            Assert.Skip($"{program} is not installed; {InstallHint}");
        }

        return path!;
    }

    public static string? Find(string program)
    {
        string[] folders = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator);
        return folders.Select(folder => Path.Combine(folder, program)).FirstOrDefault(File.Exists);
    }

    /// <summary>Runs promtool with <paramref name="arguments"/>, feeding <paramref name="input"/> on standard input.</summary>
    /// <returns>The exit code and standard output and error together.</returns>
    public static async Task<(int ExitCode, string Output)> RunPromtoolAsync(
        IEnumerable<string> arguments,
        string? input,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Require("promtool"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Returns a TCP port on the loopback address that was free a moment ago.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
