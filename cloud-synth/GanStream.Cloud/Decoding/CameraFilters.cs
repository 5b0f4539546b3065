using System.Collections.Concurrent;
using GanStream.Pipeline.Filtering;
using OpenCvSharp;

namespace GanStream.Cloud.Decoding;

/// <summary>
/// One filter chain per camera for the whole frames of cloud-only mode, where the worker filters instead of the edge.
/// The chains keep the last frame sent and the time of the last frame, so each camera needs its own. Thread-safe.
/// </summary>
/// <remarks>
/// Frames of one camera share a partition, so they arrive in order. With more than one decode task two neighbours
/// can still be filtered out of order, which can let a near-duplicate through but never drops a distinct frame.
/// </remarks>
public sealed class CameraFilters : IDisposable
{
    /// <summary>Most cameras tracked; past it every chain is reset, which lets one frame per camera through.</summary>
    public const int MaxCameras = 4096;

    private readonly FilterOptions options;
    private readonly ConcurrentDictionary<string, FilterChain> chains = new(StringComparer.Ordinal);

    public CameraFilters(FilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
    }

    /// <summary>Runs the camera's filters on a whole frame at <paramref name="mediaTime"/> on its source's timeline.</summary>
    /// <returns>The name of the filter that drops the frame, or null when it is to be synthesized.</returns>
    public string? Evaluate(string cameraId, Mat image, TimeSpan mediaTime)
    {
        ArgumentNullException.ThrowIfNull(cameraId);
        if (chains.Count >= MaxCameras)
        {
            Reset();
        }

        FilterChain chain = chains.GetOrAdd(cameraId, _ => new FilterChain(options));
        lock (chain)
        {
            return chain.Evaluate(image, mediaTime);
        }
    }

    public void Dispose() => Reset();

    private void Reset()
    {
        foreach (string cameraId in chains.Keys)
        {
            if (chains.TryRemove(cameraId, out FilterChain? chain))
            {
                lock (chain)
                {
                    chain.Dispose();
                }
            }
        }
    }
}
