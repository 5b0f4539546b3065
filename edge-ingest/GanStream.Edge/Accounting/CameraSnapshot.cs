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
/// <param name="InFlight">Frames sent and still waiting for their result.</param>
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
    long InFlight,
    IReadOnlyList<double> LatenciesMs)
{
    public long FilteredTotal => Filtered.Values.Sum();

    /// <summary>Frames dropped before they were sent (a send that failed is counted under both sent and dropped).</summary>
    public long DroppedTotal => Dropped.Values.Sum();

    public long RejectedTotal => Rejected.Values.Sum();

    /// <summary>
    /// True when every frame read has exactly one outcome: read = filtered + dropped + synthesized + rejected +
    /// expired + in flight.
    /// </summary>
    public bool Reconciles => Read == FilteredTotal + DroppedTotal + Synthesized + RejectedTotal + Expired + InFlight;
}
