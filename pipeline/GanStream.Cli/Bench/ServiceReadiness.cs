using System.Net;
using System.Net.Sockets;

namespace GanStream.Cli.Bench;

/// <summary>Loopback ports for child services and a wait for their <c>/health/ready</c> endpoint.</summary>
internal static class ServiceReadiness
{
    /// <summary>Returns a TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Polls <c>http://127.0.0.1:PORT/health/ready</c> until it returns 200.</summary>
    /// <returns>False when the process exited or <paramref name="timeout"/> passed first.</returns>
    public static async Task<bool> WaitUntilReadyAsync(
        int port,
        ChildProcess process,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = new Uri($"http://127.0.0.1:{port}/health/ready");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < timeout && !process.HasExited)
        {
            try
            {
                using HttpResponseMessage response = await client.GetAsync(url, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The request timed out while the service was busy loading its model.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        return false;
    }
}
