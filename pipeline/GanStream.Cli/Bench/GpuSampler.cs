using System.Diagnostics;
using System.Globalization;

namespace GanStream.Cli.Bench;

/// <summary>
/// Runs <c>nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader,nounits -l 1</c>, which prints
/// one line per GPU every second, and keeps the samples. Without <c>nvidia-smi</c> on the PATH it records nothing
/// and <see cref="Available"/> is false.
/// </summary>
internal sealed class GpuSampler : IDisposable
{
    private readonly Process? process;
    private readonly Lock gate = new();
    private readonly List<GpuSample> samples = [];

    private GpuSampler(Process? process)
    {
        this.process = process;
    }

    public bool Available => process is not null;

    /// <summary>Starts sampling when <c>nvidia-smi</c> is found on the PATH.</summary>
    public static GpuSampler Start()
    {
        string? path = FindOnPath("nvidia-smi");
        if (path is null)
        {
            return new GpuSampler(null);
        }

        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--query-gpu=utilization.gpu,memory.used", "--format=csv,noheader,nounits", "-l", "1" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var sampler = new GpuSampler(process);
        process.OutputDataReceived += (_, e) => sampler.OnLine(e.Data);
        process.ErrorDataReceived += (_, _) => { };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            process.Dispose();
            return new GpuSampler(null);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sampler;
    }

    /// <summary>Samples taken from <paramref name="start"/> to <paramref name="end"/>, over all GPUs.</summary>
    public IReadOnlyList<GpuSample> Between(DateTimeOffset start, DateTimeOffset end)
    {
        lock (gate)
        {
            return samples.Where(s => s.Time >= start && s.Time <= end).ToList();
        }
    }

    /// <summary>Parses a line such as <c>37, 1024</c>; null for anything else, for example an error message.</summary>
    public static GpuSample? ParseLine(string line, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] parts = line.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 ||
            !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double utilization) ||
            !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double memory))
        {
            return null;
        }

        return new GpuSample(time, utilization, memory);
    }

    public void Dispose()
    {
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited on its own, for example because the driver is not loaded.
        }

        process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null || ParseLine(line, DateTimeOffset.UtcNow) is not { } sample)
        {
            return;
        }

        lock (gate)
        {
            samples.Add(sample);
        }
    }

    private static string? FindOnPath(string name)
    {
        string[] folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return folders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
    }
}
