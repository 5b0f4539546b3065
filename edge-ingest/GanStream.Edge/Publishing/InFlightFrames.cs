using System.Collections.Concurrent;
using System.Diagnostics;

namespace GanStream.Edge.Publishing;

/// <summary>
/// Frames sent and waiting for their result, by correlation id. Each frame leaves exactly once: through its result,
/// a publish failure or expiry, whichever comes first. Leaving frees the camera's in-flight slot.
/// </summary>
public sealed class InFlightFrames
{
    private readonly ConcurrentDictionary<string, PendingFrame> frames = new(StringComparer.Ordinal);

    public int Count => frames.Count;

    /// <summary>Frames still waiting whose message the broker has not acknowledged, by camera id.</summary>
    public IReadOnlyDictionary<string, long> CountUnacknowledged() =>
        frames.Values
            .Where(frame => !frame.Acknowledged)
            .GroupBy(frame => frame.CameraId, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => (long)group.LongCount(), StringComparer.Ordinal);

    public void Add(PendingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!frames.TryAdd(frame.CorrelationId, frame))
        {
            throw new InvalidOperationException($"Correlation id {frame.CorrelationId} is already in flight.");
        }
    }

    /// <summary>Removes a frame; false when it already left (a duplicate result or a result after expiry).</summary>
    public bool TryRemove(string correlationId, out PendingFrame frame)
    {
        if (frames.TryRemove(correlationId, out PendingFrame? removed))
        {
            removed.Window.Release();
            frame = removed;
            return true;
        }

        frame = null!;
        return false;
    }

    /// <summary>Removes and returns the frames sent longer ago than <paramref name="timeout"/>.</summary>
    public IReadOnlyList<PendingFrame> RemoveExpired(TimeSpan timeout)
    {
        long now = Stopwatch.GetTimestamp();
        var expired = new List<PendingFrame>();
        foreach (PendingFrame frame in frames.Values)
        {
            if (Stopwatch.GetElapsedTime(frame.SentTimestamp, now) >= timeout &&
                TryRemove(frame.CorrelationId, out PendingFrame removed))
            {
                expired.Add(removed);
            }
        }

        return expired;
    }

    /// <summary>Removes and returns the frames of one camera still waiting, when that camera is removed.</summary>
    public IReadOnlyList<PendingFrame> RemoveCamera(string cameraId)
    {
        var removed = new List<PendingFrame>();
        foreach (PendingFrame frame in frames.Values)
        {
            if (frame.CameraId == cameraId && TryRemove(frame.CorrelationId, out PendingFrame taken))
            {
                removed.Add(taken);
            }
        }

        return removed;
    }

    /// <summary>Removes and returns every frame still waiting, at shutdown.</summary>
    public IReadOnlyList<PendingFrame> RemoveAll() => RemoveExpired(TimeSpan.Zero);
}
