using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GanStream.Edge;
using GanStream.Edge.Accounting;

namespace GanStream.Cli.Summary;

/// <summary>The outcome of a pipeline run: counts per camera, latency percentiles and output files.</summary>
/// <param name="Interrupted">True when Ctrl+C, SIGTERM or cancellation stopped the run before its input ended.</param>
internal sealed record RunSummary(
    string Model,
    string Broker,
    double ElapsedSeconds,
    bool Interrupted,
    IReadOnlyList<CameraSummary> Cameras,
    IReadOnlyDictionary<string, string> FailedCameras)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>True when every camera's counts reconcile and no camera failed.</summary>
    public bool Complete => FailedCameras.Count == 0 && Cameras.All(c => c.Reconciles);

    public static RunSummary Create(EdgeRunReport report, string model, string broker)
    {
        ArgumentNullException.ThrowIfNull(report);
        var cameras = report.Cameras
            .Select(c => CameraSummary.Create(c, report.Videos.GetValueOrDefault(c.CameraId), report.Elapsed))
            .ToList();
        return new RunSummary(
            model,
            broker,
            report.Elapsed.TotalSeconds,
            report.Interrupted,
            cameras,
            report.FailedCameras);
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>A short text table for the console and <c>summary.txt</c>.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        string stopped = Interrupted ? " (interrupted: stopped before the input ended)" : string.Empty;
        text.AppendLine(c, $"model {Model}, broker {Broker}, {ElapsedSeconds:F1} s{stopped}");
        foreach (CameraSummary camera in Cameras)
        {
            text.AppendLine(c, $"camera {camera.CameraId}");
            text.AppendLine(c, $"  frames read        {camera.Read}");
            text.AppendLine(c, $"  filtered           {camera.FilteredTotal} ({Describe(camera.Filtered)})");
            text.AppendLine(c, $"  dropped at edge    {camera.DroppedTotal} ({Describe(camera.Dropped)})");
            text.AppendLine(c, $"  sent               {camera.Sent} ({camera.MeanBytesPerFrame:F0} bytes per frame)");
            text.AppendLine(c, $"  synthesized        {camera.Synthesized} ({camera.SynthesizedPerSecond:F2} frames/s)");
            text.AppendLine(c, $"  rejected by worker {camera.RejectedTotal} ({Describe(camera.Rejected)})");
            text.AppendLine(c, $"  expired            {camera.Expired}");
            text.AppendLine(c, $"  still queued       {camera.Queued}");
            string unacknowledged = $"{camera.Unacknowledged} never acknowledged by the broker";
            text.AppendLine(c, $"  still in flight    {camera.InFlight} ({unacknowledged})");
            text.AppendLine(c, $"  source reconnects  {camera.Reconnects}");
            string latency = double.IsNaN(camera.LatencyP50Ms)
                ? "none (no frame was synthesized)"
                : $"p50 {camera.LatencyP50Ms:F0}, p95 {camera.LatencyP95Ms:F0}, p99 {camera.LatencyP99Ms:F0}, max {camera.LatencyMaxMs:F0}";
            text.AppendLine(c, $"  latency ms         {latency}");
            text.AppendLine(c, $"  counts reconcile   {(camera.Reconciles ? "yes" : "NO")}");
            if (camera.Video is not null)
            {
                text.AppendLine(c, $"  output video       {camera.Video}");
            }
        }

        foreach ((string camera, string reason) in FailedCameras)
        {
            text.AppendLine(c, $"camera {camera} FAILED: {reason}");
        }

        return text.ToString();
    }

    private static string Describe(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(p => $"{p.Key} {p.Value}"));
}

/// <summary>Counts and latencies of one camera in a run summary.</summary>
internal sealed record CameraSummary(
    string CameraId,
    long Read,
    long FilteredTotal,
    IReadOnlyDictionary<string, long> Filtered,
    long DroppedTotal,
    IReadOnlyDictionary<string, long> Dropped,
    long Sent,
    double MeanBytesPerFrame,
    long Synthesized,
    double SynthesizedPerSecond,
    long RejectedTotal,
    IReadOnlyDictionary<string, long> Rejected,
    long Expired,
    long Queued,
    long InFlight,
    long Unacknowledged,
    long Reconnects,
    double LatencyP50Ms,
    double LatencyP95Ms,
    double LatencyP99Ms,
    double LatencyMaxMs,
    bool Reconciles,
    string? Video)
{
    public static CameraSummary Create(CameraSnapshot snapshot, string? video, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        double[] latencies = [.. snapshot.LatenciesMs.Order()];
        return new CameraSummary(
            snapshot.CameraId,
            snapshot.Read,
            snapshot.FilteredTotal,
            snapshot.Filtered,
            snapshot.DroppedTotal,
            snapshot.Dropped,
            snapshot.Sent,
            snapshot.Sent == 0 ? 0 : (double)snapshot.SentBytes / snapshot.Sent,
            snapshot.Synthesized,
            elapsed > TimeSpan.Zero ? snapshot.Synthesized / elapsed.TotalSeconds : 0,
            snapshot.RejectedTotal,
            snapshot.Rejected,
            snapshot.Expired,
            snapshot.Queued,
            snapshot.InFlight,
            snapshot.Unacknowledged,
            snapshot.Reconnects,
            Percentiles.Of(latencies, 50),
            Percentiles.Of(latencies, 95),
            Percentiles.Of(latencies, 99),
            latencies.Length == 0 ? double.NaN : latencies[^1],
            snapshot.Reconciles,
            video);
    }
}
