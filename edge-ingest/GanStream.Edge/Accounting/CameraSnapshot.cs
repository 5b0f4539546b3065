namespace GanStream.Edge.Accounting;

/// <summary>Counts of one camera at one moment.</summary>
/// <param name="Read">Frames read from the source.</param>
/// <param name="Filtered">Frames dropped by each filter.</param>
/// <param name="Dropped">Frames dropped at the edge for other reasons, by reason.</param>
/// <param name="Sent">Frames handed to the producer.</param>
/// <param name="SentBytes">Payload bytes of the frames sent.</param>
/// <param name="Synthesized">Frames whose synthesized image came back.</param>
/// <param name="Rejected">Frames the workers rejected, by reason.</param>
/// <param name="Expired">Frames sent whose result did not arrive in time.</param>
/// <param name="Queued">Frames read and not yet filtered, dropped or sent.</param>
/// <param name="InFlight">Frames sent and still waiting for their result.</param>
/// <param name="Reconnects">Times the source was opened again after it was lost or stalled.</param>
/// <param name="LatenciesMs">End-to-end latencies of synthesized frames, in milliseconds (a sample when many).</param>
public sealed record CameraSnapshot(
    string CameraId,
    long Read,
    IReadOnlyDictionary<string, long> Filtered,
    IReadOnlyDictionary<string, long> Dropped,
    long Sent,
    long SentBytes,
    long Synthesized,
    IReadOnlyDictionary<string, long> Rejected,
    long Expired,
    long Queued,
    long InFlight,
    long Reconnects,
    IReadOnlyList<double> LatenciesMs)
{
    public long FilteredTotal => Filtered.Values.Sum();

    /// <summary>Frames dropped at the edge, before they were sent or because their delivery failed.</summary>
    public long DroppedTotal => Dropped.Values.Sum();

    public long RejectedTotal => Rejected.Values.Sum();

    /// <summary>
    /// Frames of <see cref="InFlight"/> whose delivery the broker had not acknowledged when the snapshot was taken;
    /// at shutdown, the frames that could not be delivered.
    /// </summary>
    public long Unacknowledged { get; init; }

    /// <summary>
    /// True when every frame read has exactly one outcome: read = filtered + dropped + synthesized + rejected +
    /// expired + queued + in flight.
    /// </summary>
    public bool Reconciles =>
        Read == FilteredTotal + DroppedTotal + Synthesized + RejectedTotal + Expired + Queued + InFlight;
}
