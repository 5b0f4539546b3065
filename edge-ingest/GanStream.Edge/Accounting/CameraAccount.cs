using System.Collections.Concurrent;

namespace GanStream.Edge.Accounting;

/// <summary>
/// The outcome of every frame of one camera, kept for the run summary and mirrored into Prometheus metrics.
/// Every frame read ends in exactly one of: filtered, dropped, synthesized, rejected, expired, or in flight.
/// Thread-safe.
/// </summary>
public sealed class CameraAccount
{
    /// <summary>Most latency samples kept for percentiles; later samples replace random earlier ones.</summary>
    public const int MaxLatencySamples = 100_000;

    private readonly ConcurrentDictionary<string, long> filtered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> dropped = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> rejected = new(StringComparer.Ordinal);
    private readonly List<double> latencySamples = [];
    private readonly Lock latencyGate = new();
    private long latencyCount;
    private long read;
    private long sent;
    private long sentBytes;
    private long synthesized;
    private long expired;
    private long inFlight;
    private long reconnects;
    private int sourceState;

    public CameraAccount(string cameraId)
    {
        CameraId = cameraId;
        EdgeMetrics.InitializeCamera(cameraId);
    }

    public string CameraId { get; }

    /// <summary>Frame rate the source reports, once it is open.</summary>
    public double? SourceFramesPerSecond { get; set; }

    /// <summary>Where the camera's source is in its life: not opened yet, open, ended or failed.</summary>
    public CameraSourceState SourceState => (CameraSourceState)Volatile.Read(ref sourceState);

    /// <summary>Times the source was opened again after it stopped delivering frames.</summary>
    public long Reconnects => Interlocked.Read(ref reconnects);

    public void FrameRead()
    {
        Interlocked.Increment(ref read);
        EdgeMetrics.FramesCaptured.WithLabels(CameraId).Inc();
    }

    public void FrameFiltered(string filter)
    {
        filtered.AddOrUpdate(filter, 1, (_, count) => count + 1);
        EdgeMetrics.FramesFiltered.WithLabels(CameraId, filter).Inc();
    }

    public void FrameDropped(string reason)
    {
        dropped.AddOrUpdate(reason, 1, (_, count) => count + 1);
        EdgeMetrics.FramesDropped.WithLabels(CameraId, reason).Inc();
    }

    /// <summary>A frame was handed to the producer and now waits for its result.</summary>
    public void FrameSent(int payloadBytes)
    {
        Interlocked.Increment(ref sent);
        Interlocked.Add(ref sentBytes, payloadBytes);
        Interlocked.Increment(ref inFlight);
        EdgeMetrics.FramesInFlight.WithLabels(CameraId).Inc();
        EdgeMetrics.FeatureSize.WithLabels(CameraId).Observe(payloadBytes);
    }

    /// <summary>The broker acknowledged a sent frame <paramref name="acknowledgedAfter"/> after it was sent.</summary>
    public static void FramePublished(string cameraId, int payloadBytes, TimeSpan acknowledgedAfter)
    {
        EdgeMetrics.FramesPublished.WithLabels(cameraId).Inc();
        EdgeMetrics.PublishedBytes.WithLabels(cameraId).Inc(payloadBytes);
        EdgeMetrics.PublishDuration.WithLabels(cameraId).Observe(acknowledgedAfter.TotalSeconds);
    }

    /// <summary>Records the time one frame took to read from the source.</summary>
    public void CaptureTimed(TimeSpan elapsed) =>
        EdgeMetrics.CaptureDuration.WithLabels(CameraId).Observe(elapsed.TotalSeconds);

    /// <summary>Records the time the filters took on one frame.</summary>
    public void FilterTimed(TimeSpan elapsed) =>
        EdgeMetrics.FilterDuration.WithLabels(CameraId).Observe(elapsed.TotalSeconds);

    /// <summary>Records the time one frame took to downscale and compress.</summary>
    public void EncodeTimed(TimeSpan elapsed) =>
        EdgeMetrics.EncodeDuration.WithLabels(CameraId).Observe(elapsed.TotalSeconds);

    /// <summary>The source was opened again after it stopped delivering frames.</summary>
    public void Reconnected()
    {
        Interlocked.Increment(ref reconnects);
        EdgeMetrics.CameraReconnects.WithLabels(CameraId).Inc();
    }

    /// <summary>Records the source's new state; <c>ganstream_edge_camera_source_open</c> is 1 while open.</summary>
    public void SetSourceState(CameraSourceState state)
    {
        Volatile.Write(ref sourceState, (int)state);
        EdgeMetrics.CameraSourceOpen.WithLabels(CameraId).Set(state == CameraSourceState.Open ? 1 : 0);
    }

    /// <summary>
    /// Removes every Prometheus series of this camera. Call when the camera is removed from the edge, after its
    /// pipeline stopped; counts kept here for the run summary are not affected.
    /// </summary>
    public void RemoveMetrics() => EdgeMetrics.RemoveCamera(CameraId);

    /// <summary>A sent frame could not be published; it leaves the in-flight set as dropped.</summary>
    public void SentFrameDropped(string reason)
    {
        LeaveInFlight();
        FrameDropped(reason);
    }

    public void FrameSynthesized(TimeSpan latency)
    {
        LeaveInFlight();
        Interlocked.Increment(ref synthesized);
        EdgeMetrics.Results.WithLabels(CameraId, "synthesized").Inc();
        EdgeMetrics.EndToEndLatency.WithLabels(CameraId).Observe(latency.TotalSeconds);
        AddLatencySample(latency.TotalMilliseconds);
    }

    public void FrameRejected(string reason)
    {
        LeaveInFlight();
        rejected.AddOrUpdate(reason, 1, (_, count) => count + 1);
        EdgeMetrics.Results.WithLabels(CameraId, "rejected").Inc();
    }

    public void FrameExpired()
    {
        LeaveInFlight();
        Interlocked.Increment(ref expired);
        EdgeMetrics.FramesExpired.WithLabels(CameraId).Inc();
    }

    public CameraSnapshot Snapshot()
    {
        double[] latencies;
        lock (latencyGate)
        {
            latencies = [.. latencySamples];
        }

        return new CameraSnapshot(
            CameraId,
            Interlocked.Read(ref read),
            new SortedDictionary<string, long>(filtered, StringComparer.Ordinal),
            new SortedDictionary<string, long>(dropped, StringComparer.Ordinal),
            Interlocked.Read(ref sent),
            Interlocked.Read(ref sentBytes),
            Interlocked.Read(ref synthesized),
            new SortedDictionary<string, long>(rejected, StringComparer.Ordinal),
            Interlocked.Read(ref expired),
            Interlocked.Read(ref inFlight),
            latencies);
    }

    private void LeaveInFlight()
    {
        Interlocked.Decrement(ref inFlight);
        EdgeMetrics.FramesInFlight.WithLabels(CameraId).Dec();
    }

    private void AddLatencySample(double milliseconds)
    {
        lock (latencyGate)
        {
            latencyCount++;
            if (latencySamples.Count < MaxLatencySamples)
            {
                latencySamples.Add(milliseconds);
                return;
            }

            // Reservoir sampling keeps a uniform sample of all latencies seen.
            long slot = Random.Shared.NextInt64(latencyCount);
            if (slot < MaxLatencySamples)
            {
                latencySamples[(int)slot] = milliseconds;
            }
        }
    }
}
