using GanStream.Edge.Accounting;

namespace GanStream.Cli.Soak;

/// <summary>The counts of all cameras and the process's memory at one moment of a soak run.</summary>
/// <param name="RssBytes">Resident set size of the process.</param>
/// <param name="HeapBytes">Bytes allocated on the managed heap.</param>
/// <param name="Fault">Fault in effect when the sample was taken.</param>
internal sealed record SoakSample(
    TimeSpan Elapsed,
    long Read,
    long Filtered,
    long Dropped,
    long Sent,
    long Synthesized,
    long Rejected,
    long Expired,
    long Queued,
    long InFlight,
    long Reconnects,
    bool Reconciles,
    long RssBytes,
    long HeapBytes,
    string Fault)
{
    public static SoakSample Take(TimeSpan elapsed, IReadOnlyList<CameraSnapshot> cameras, string fault)
    {
        ArgumentNullException.ThrowIfNull(cameras);
        return new SoakSample(
            elapsed,
            cameras.Sum(c => c.Read),
            cameras.Sum(c => c.FilteredTotal),
            cameras.Sum(c => c.DroppedTotal),
            cameras.Sum(c => c.Sent),
            cameras.Sum(c => c.Synthesized),
            cameras.Sum(c => c.RejectedTotal),
            cameras.Sum(c => c.Expired),
            cameras.Sum(c => c.Queued),
            cameras.Sum(c => c.InFlight),
            cameras.Sum(c => c.Reconnects),
            cameras.All(c => c.Reconciles),
            Environment.WorkingSet,
            GC.GetTotalMemory(forceFullCollection: false),
            fault);
    }
}
