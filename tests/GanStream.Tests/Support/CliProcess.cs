using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GanStream.Tests.Support;

/// <summary>
/// The <c>ganstream</c> command in a child process, built next to the tests, with its standard output and error
/// collected line by line. Disposing it kills the process if it still runs.
/// </summary>
public sealed partial class CliProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private CliProcess(Process process)
    {
        this.process = process;
    }

    public int Id => process.Id;

    /// <summary>Every line written so far, standard output and error interleaved.</summary>
    public IReadOnlyList<string> Lines => [.. lines];

    public string Output => string.Join('\n', lines);

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Starts <c>ganstream</c> with <paramref name="arguments"/> and extra environment variables.</summary>
    public static CliProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TestPaths.RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ganstream.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Add(e.Data);
        process.ErrorDataReceived += (_, e) => cli.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> is written.</summary>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>, or the process exited.</exception>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            string? found = lines.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException(
            $"ganstream wrote no line containing '{text}' within {timeout} (exited: {process.HasExited}). Last lines:\n" +
            string.Join('\n', lines.TakeLast(30)));
    }

    /// <summary>Sends SIGTERM, as a service manager does to stop a process.</summary>
    public void Terminate()
    {
        if (Kill(process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Sends SIGKILL: the process ends at once, without any cleanup.</summary>
    public void KillHard() => process.Kill(entireProcessTree: false);

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    /// <exception cref="TimeoutException">It still runs after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"ganstream did not exit within {timeout}. Last lines:\n{string.Join('\n', lines.TakeLast(30))}");
        }

        // The asynchronous readers may still deliver the last lines after the exit event.
        process.WaitForExit();
        return process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // The process was never started or is already gone.
        }

        process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
