using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace GanStream.Tests.Support;

/// <summary>
/// A Prometheus server started for one test on a free loopback port, scraping one target every second, with its
/// storage in a temporary folder. Disposing it stops the process and deletes the folder.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly Process process;
    private readonly string folder;
    private readonly HttpClient http;
    private readonly Queue<string> lastLines = new();

    private PrometheusServer(Process process, string folder, Uri address)
    {
        this.process = process;
        this.folder = folder;
        http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, line) => Remember(line.Data);
        process.ErrorDataReceived += (_, line) => Remember(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address => http.BaseAddress!;

    /// <summary>The last lines Prometheus wrote, for a failure message.</summary>
    public string RecentOutput
    {
        get
        {
            lock (lastLines)
            {
                return string.Join(Environment.NewLine, lastLines);
            }
        }
    }

    /// <summary>Starts Prometheus with a job <paramref name="job"/> that scrapes <paramref name="target"/> (host:port).</summary>
    public static async Task<PrometheusServer> StartAsync(string job, string target, CancellationToken cancellationToken)
    {
        string executable = PrometheusTools.Require("prometheus");
        string folder = TestPaths.CreateTemporaryFolder();
        string config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(
            config,
            $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: {job}
                static_configs:
                  - targets: ['{target}']
            """,
            cancellationToken);

        int port = PrometheusTools.FreeLoopbackPort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--config.file={config}");
        start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(folder, "data")}");
        start.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

        var server = new PrometheusServer(Process.Start(start)!, folder, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs an instant query and returns its <c>data.result</c> array.</summary>
    public async Task<JsonElement> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        JsonElement body = await GetAsync($"api/v1/query?query={Uri.EscapeDataString(promql)}", cancellationToken);
        return body.GetProperty("data").GetProperty("result");
    }

    /// <summary>Returns the names of every series Prometheus stored.</summary>
    public async Task<IReadOnlySet<string>> MetricNamesAsync(CancellationToken cancellationToken)
    {
        JsonElement body = await GetAsync("api/v1/label/__name__/values", cancellationToken);
        return body.GetProperty("data").EnumerateArray().Select(name => name.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var exitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exitTimeout.Token);
        }

        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file Prometheus still held; the temporary folder is cleaned by the system later.
        }
    }

    private async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync(path, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Prometheus exited with code {process.ExitCode}:{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync("-/ready", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        throw new TimeoutException($"Prometheus was not ready within {ReadyTimeout}:{Environment.NewLine}{RecentOutput}");
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lastLines)
        {
            lastLines.Enqueue(line);
            while (lastLines.Count > 40)
            {
                lastLines.Dequeue();
            }
        }
    }
}
