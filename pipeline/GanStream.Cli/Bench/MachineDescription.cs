using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace GanStream.Cli.Bench;

/// <summary>The machine and the software versions a bench ran with, for its report.</summary>
internal static class MachineDescription
{
    public static MachineInfo Describe(bool gpuAvailable)
    {
        string? processor = ReadFirst("/proc/cpuinfo", "model name");
        double? memory = ReadFirst("/proc/meminfo", "MemTotal") is { } total &&
            long.TryParse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture, out long kib)
                ? Math.Round(kib / 1024.0 / 1024.0, 1)
                : null;
        string gpu = gpuAvailable ? QueryGpuNames() ?? "NVIDIA GPU (name unknown)" : "no GPU";
        string description = string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} logical processors ({processor ?? "unknown processor"}), " +
            $"{memory?.ToString("F1", CultureInfo.InvariantCulture) ?? "?"} GiB memory, {gpu}, " +
            $"{RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}");
        return new MachineInfo(
            description,
            Environment.ProcessorCount,
            RuntimeInformation.OSDescription,
            RuntimeInformation.ProcessArchitecture.ToString(),
            processor,
            memory,
            gpu);
    }

    /// <param name="checkoutFolder">A folder inside the source checkout, for the git commit.</param>
    public static IReadOnlyDictionary<string, string> Versions(string checkoutFolder)
    {
        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["ganstream"] = InformationalVersion(typeof(MachineDescription).Assembly),
            [".NET"] = RuntimeInformation.FrameworkDescription.Replace(".NET ", string.Empty, StringComparison.Ordinal),
            ["Confluent.Kafka"] = InformationalVersion(typeof(Confluent.Kafka.Library).Assembly),
            ["librdkafka"] = Confluent.Kafka.Library.VersionString ?? "unknown",
            ["ONNX Runtime"] = Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString(),
            ["OpenCV"] = OpenCvSharp.Cv2.GetVersionString() ?? "unknown",
            ["ScottPlot"] = InformationalVersion(typeof(ScottPlot.Plot).Assembly),
        };
        if (GitCommit(checkoutFolder) is { } commit)
        {
            versions["git commit"] = commit;
        }

        return versions;
    }

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";

    private static string? ReadFirst(string path, string key)
    {
        try
        {
            string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? QueryGpuNames() => RunQuietly("nvidia-smi", "--query-gpu=name", "--format=csv,noheader")?.Replace('\n', ';');

    private static string? GitCommit(string folder)
    {
        string? commit = RunQuietly("git", "-C", folder, "rev-parse", "--short=12", "HEAD");
        if (commit is null)
        {
            return null;
        }

        string? status = RunQuietly("git", "-C", folder, "status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrEmpty(status) ? commit : commit + " (with uncommitted changes)";
    }

    private static string? RunQuietly(string fileName, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(5000);
            return process.ExitCode == 0 ? output : null;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
