namespace GanStream.Edge.Accounting;

/// <summary>
/// The outcome of every frame of one camera, kept for the run summary and mirrored into Prometheus metrics.
/// A frame read is queued until it is filtered, dropped or sent. A frame sent is in flight until its result is
/// synthesized or rejected, until it expires, or until its delivery fails, which counts it as dropped. Every change
/// happens under one lock, so a <see cref="Snapshot"/> taken at any moment reconciles. Thread-safe.
/// </summary>
public sealed class CameraAccount
{
    /// <summary>Most latency samples kept for percentiles; later samples replace random earlier ones.</summary>
    public const int MaxLatencySamples = 100_000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, long> filtered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> dropped = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> rejected = new(StringComparer.Ordinal);
    private readonly List<double> latencySamples = [];
    private long latencyCount;
    private long read;
    private long queued;
    private long sent;
    private long sentBytes;
    private long synthesized;
    private long expired;
    private long inFlight;
    private long reconnects;
    private int sourceState;
    private volatile bool metricsRemoved;

    public CameraAccount(string cameraId)
    {
        CameraId = cameraId;
        EdgeMetrics.InitializeCamera(cameraId);
    }

    public string CameraId { get; }

    /// <summary>Frames sent and still waiting for their result; cheaper than a <see cref="Snapshot"/>.</summary>
    public long InFlight
    {
        get
        {
            lock (gate)
            {
                return inFlight;
            }
        }
    }

    /// <summary>Frame rate the source reports, once it is open.</summary>
    public double? SourceFramesPerSecond { get; set; }

    /// <summary>Where the camera's source is in its life: not opened yet, open, reconnecting, ended or failed.</summary>
    public CameraSourceState SourceState => (CameraSourceState)Volatile.Read(ref sourceState);

    /// <summary>A frame was read from the source; it is queued until it is filtered, dropped or sent.</summary>
    public void FrameRead()
    {
        lock (gate)
        {
            read++;
            queued++;
        }

        EdgeMetrics.FramesCaptured.WithLabels(CameraId).Inc();
    }

    /// <summary>A queued frame was dropped by a filter.</summary>
    public void FrameFiltered(string filter)
    {
        lock (gate)
        {
            queued--;
            Increment(filtered, filter);
        }

        EdgeMetrics.FramesFiltered.WithLabels(CameraId, filter).Inc();
    }

    /// <summary>A queued frame was dropped before it was sent, for example because the capture queue was full.</summary>
    public void FrameDropped(string reason)
    {
        lock (gate)
        {
            queued--;
            Increment(dropped, reason);
        }

        EdgeMetrics.FramesDropped.WithLabels(CameraId, reason).Inc();
    }

    /// <summary>A queued frame was handed to the producer and now waits for its result.</summary>
    public void FrameSent(int payloadBytes)
    {
        lock (gate)
        {
            queued--;
            sent++;
            sentBytes += payloadBytes;
            inFlight++;
        }

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
    public void RemoveMetrics()
    {
        metricsRemoved = true;
        EdgeMetrics.RemoveCamera(CameraId);
    }

    /// <summary>True once <see cref="RemoveMetrics"/> was called.</summary>
    public bool MetricsRemoved => metricsRemoved;

    /// <summary>A sent frame could not be published; it leaves the in-flight set as dropped.</summary>
    public void SentFrameDropped(string reason)
    {
        lock (gate)
        {
            inFlight--;
            Increment(dropped, reason);
        }

        EdgeMetrics.FramesInFlight.WithLabels(CameraId).Dec();
        EdgeMetrics.FramesDropped.WithLabels(CameraId, reason).Inc();
    }

    /// <summary>A sent whole frame was dropped by the cloud's filter (cloud-only mode); it leaves the in-flight set.</summary>
    public void SentFrameFiltered(string filter)
    {
        lock (gate)
        {
            inFlight--;
            Increment(filtered, filter);
        }

        EdgeMetrics.FramesInFlight.WithLabels(CameraId).Dec();
        EdgeMetrics.FramesFiltered.WithLabels(CameraId, filter).Inc();
    }

    public void FrameSynthesized(TimeSpan latency)
    {
        lock (gate)
        {
            inFlight--;
            synthesized++;
            AddLatencySample(latency.TotalMilliseconds);
        }

        EdgeMetrics.FramesInFlight.WithLabels(CameraId).Dec();
        EdgeMetrics.Results.WithLabels(CameraId, "synthesized").Inc();
        EdgeMetrics.EndToEndLatency.WithLabels(CameraId).Observe(latency.TotalSeconds);
    }

    public void FrameRejected(string reason)
    {
        lock (gate)
        {
            inFlight--;
            Increment(rejected, reason);
        }

        EdgeMetrics.FramesInFlight.WithLabels(CameraId).Dec();
        EdgeMetrics.Results.WithLabels(CameraId, "rejected").Inc();
    }

    public void FrameExpired()
    {
        lock (gate)
        {
            inFlight--;
            expired++;
        }

        EdgeMetrics.FramesInFlight.WithLabels(CameraId).Dec();
        EdgeMetrics.FramesExpired.WithLabels(CameraId).Inc();
    }

    /// <summary>The camera's source was opened again after it was lost or stalled.</summary>
    public void SourceReconnected()
    {
        lock (gate)
        {
            reconnects++;
        }

        EdgeMetrics.CameraReconnects.WithLabels(CameraId).Inc();
    }

    public CameraSnapshot Snapshot()
    {
        lock (gate)
        {
            return new CameraSnapshot(
                CameraId,
                read,
                new SortedDictionary<string, long>(filtered, StringComparer.Ordinal),
                new SortedDictionary<string, long>(dropped, StringComparer.Ordinal),
                sent,
                sentBytes,
                synthesized,
                new SortedDictionary<string, long>(rejected, StringComparer.Ordinal),
                expired,
                queued,
                inFlight,
                reconnects,
                [.. latencySamples]);
        }
    }

    private static void Increment(Dictionary<string, long> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    private void AddLatencySample(double milliseconds)
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
