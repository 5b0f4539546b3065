using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace GanStream.Cli.Bench;

/// <summary>
/// A <c>ganstream</c> service started by the bench as a child process, with standard output and error appended to
/// a log file. Disposing it kills the process if it still runs.
/// </summary>
internal sealed partial class ChildProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Lock logGate = new();

    private ChildProcess(Process process, StreamWriter log, string logPath)
    {
        this.process = process;
        this.log = log;
        LogPath = logPath;
    }

    public int Id => process.Id;

    public string LogPath { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>
    /// The command that starts this program again: the apphost itself, or <c>dotnet</c> with the program's DLL when
    /// it runs through the <c>dotnet</c> host.
    /// </summary>
    public static (string FileName, IReadOnlyList<string> Prefix) CurrentProgram()
    {
        string host = Environment.ProcessPath ?? "dotnet";
        string? entry = Assembly.GetEntryAssembly()?.Location;
        bool viaDotnet = string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.Ordinal);
        if (viaDotnet && !string.IsNullOrEmpty(entry))
        {
            return (host, [entry]);
        }

        return (host, []);
    }

    /// <summary>Starts the program with <paramref name="arguments"/> and extra environment variables.</summary>
    public static ChildProcess Start(
        (string FileName, IReadOnlyList<string> Prefix) program,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string logPath)
    {
        var start = new ProcessStartInfo(program.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in program.Prefix.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        log.WriteLine($"$ {program.FileName} {string.Join(' ', start.ArgumentList)}");
        foreach ((string name, string value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            log.WriteLine($"$ env {name}={value}");
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, log, logPath);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose();
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the process to exit.</summary>
    /// <returns>False when it still runs after <paramref name="timeout"/>.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        // The asynchronous readers may still deliver the last lines after the exit event.
        process.WaitForExit();
        return true;
    }

    /// <summary>Asks the process to stop with SIGTERM, which the service host turns into an ordered shutdown.</summary>
    /// <returns>False when the signal could not be sent, for example because the process has exited.</returns>
    public bool Terminate() => !process.HasExited && Kill(process.Id, SigTerm) == 0;

    /// <summary>Stops the process with SIGTERM, and kills it if it still runs after <paramref name="grace"/>.</summary>
    /// <returns>The exit code, or null when the process had to be killed.</returns>
    public async Task<int?> StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        Terminate();
        if (await WaitForExitAsync(grace, cancellationToken))
        {
            return process.ExitCode;
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(CancellationToken.None);
        return null;
    }

    /// <summary>The last lines of the log, for an error message.</summary>
    public string Tail(int lines)
    {
        lock (logGate)
        {
            log.Flush();
        }

        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var last = new Queue<string>(lines);
            while (reader.ReadLine() is { } line)
            {
                if (last.Count == lines)
                {
                    last.Dequeue();
                }

                last.Enqueue(line);
            }

            return string.Join('\n', last);
        }
        catch (IOException exception)
        {
            return $"(the log {LogPath} could not be read: {exception.Message})";
        }
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
            // The process is already gone.
        }

        process.Dispose();
        lock (logGate)
        {
            log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (logGate)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A line that arrives after disposal is dropped.
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
