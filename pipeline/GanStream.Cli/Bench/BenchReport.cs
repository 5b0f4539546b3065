using System.Text.Json;
using System.Text.Json.Serialization;

namespace GanStream.Cli.Bench;

/// <summary>Everything one <c>ganstream bench</c> run measured, as written to <c>bench.json</c>.</summary>
internal sealed record BenchReport(
    int SchemaVersion,
    DateTimeOffset Date,
    string CommandLine,
    MachineInfo Machine,
    IReadOnlyDictionary<string, string> Versions,
    BenchSettingsInfo Settings,
    LinkInfo Link,
    IReadOnlyList<ModeResult> Modes,
    BaselineResult? Baseline,
    double? HybridToBareRatio,
    IReadOnlyList<string> Notes)
{
    public const int CurrentSchemaVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,

        // A mean PSNR is +Infinity when a frame is identical to its original.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <exception cref="JsonException">The text is not a bench report.</exception>
    public static BenchReport FromJson(string json) =>
        JsonSerializer.Deserialize<BenchReport>(json, JsonOptions) ?? throw new JsonException("The report is empty.");
}

/// <summary>The machine the bench ran on.</summary>
/// <param name="LogicalProcessors"><see cref="Environment.ProcessorCount"/>, the 100 % of "percent of the machine".</param>
internal sealed record MachineInfo(
    string Description,
    int LogicalProcessors,
    string OperatingSystem,
    string Architecture,
    string? ProcessorModel,
    double? MemoryGiB,
    string Gpu);

/// <summary>The settings the modes ran with.</summary>
internal sealed record BenchSettingsInfo(
    string Input,
    int ClipFrames,
    double ClipFramesPerSecond,
    int Frames,
    int LatencyFrames,
    double? LatencyFramesPerSecond,
    string Model,
    string? EdgeModel,
    int MaxBatch,
    string RequestedExecutionProvider,
    int Threads,
    string? InceptionPath,
    IReadOnlyList<string> Modes);

/// <summary>The emulated link passed to the edge and the cloud (section <c>Link</c>).</summary>
internal sealed record LinkInfo(
    bool Enabled,
    string Description,
    double UplinkMbps,
    double DownlinkMbps,
    double RoundTripMs,
    double JitterMs);

/// <summary>One deployment mode: both load points and the quality of its synthesized frames.</summary>
/// <param name="Status"><c>ok</c>, <c>failed</c> (no usable result) or <c>not-verified</c> (it ran as another mode).</param>
internal sealed record ModeResult(
    string Mode,
    string Status,
    IReadOnlyList<string> Notes,
    LoadPointResult? Saturation,
    LoadPointResult? Latency,
    ModeQuality? Quality);

/// <summary>One run of one mode at one load.</summary>
/// <param name="Name"><c>saturation</c> (file read as fast as the pipeline takes it) or <c>latency</c> (paced).</param>
/// <param name="RateCapFramesPerSecond">The edge's rate filter (<c>Edge:Filters:MaxFramesPerSecond</c>), or null.</param>
/// <param name="RealTime">Whether the clip was read at its own frame rate (<c>Edge:Cameras:0:RealTime</c>).</param>
/// <param name="StreamSeconds">From the first frame's capture to the last frame's result.</param>
/// <param name="FramesPerSecond">Frames synthesized divided by <paramref name="StreamSeconds"/>.</param>
/// <param name="OverheadMs">Per frame, latency less the inference time of the frame's batch.</param>
internal sealed record LoadPointResult(
    string Name,
    double? RateCapFramesPerSecond,
    bool RealTime,
    long FramesRequested,
    CameraTotals? Camera,
    int FramesSynthesized,
    double? StreamSeconds,
    double? FramesPerSecond,
    Distribution LatencyMs,
    Distribution OverheadMs,
    Distribution InferenceMs,
    Distribution QueueMs,
    Distribution DecodeMs,
    Distribution BatchWaitMs,
    Distribution EncodeMs,
    double? MeanBatchSize,
    UplinkBytes Uplink,
    double? DownlinkBytesPerFrame,
    IReadOnlyList<ProcessCpu> Cpu,
    GpuUse Gpu,
    string? Model,
    string? ExecutionProvider,
    IReadOnlyDictionary<string, int?> ExitCodes,
    IReadOnlyDictionary<string, string> Logs,
    IReadOnlyList<CpuTimelinePoint> CpuTimeline,
    IReadOnlyList<double> LatenciesMs,
    IReadOnlyList<string> Notes);

/// <summary>Bytes sent from edge to cloud per frame.</summary>
/// <param name="EdgeFeatureBytesPerFrame">The edge's own count: compressed image bytes per frame sent.</param>
/// <param name="BrokerBytesPerMessage">
/// The broker's view: key, value and header bytes per record of the features topic, over the records it still holds.
/// </param>
/// <param name="BrokerMessagesRead">Records read back from the features topic.</param>
/// <param name="BrokerMessagesAppended">Records appended to the topic (its high watermarks).</param>
/// <param name="FeatureKinds">Records by <c>FrameFeatures.feature_kind</c>, for example <c>Downscaled</c>.</param>
internal sealed record UplinkBytes(
    double? EdgeFeatureBytesPerFrame,
    double? BrokerBytesPerMessage,
    long BrokerMessagesRead,
    long BrokerMessagesAppended,
    IReadOnlyDictionary<string, long> FeatureKinds);

/// <summary>CPU time of one process over the stream.</summary>
/// <param name="Role"><c>edge</c>, <c>cloud</c> or <c>bench</c> (this process, which hosts the broker).</param>
/// <param name="PercentOfCore">CPU seconds per wall second × 100; 200 is two cores busy.</param>
/// <param name="PercentOfMachine"><paramref name="PercentOfCore"/> divided by the logical processor count.</param>
internal sealed record ProcessCpu(string Role, double? CpuSeconds, double? PercentOfCore, double? PercentOfMachine);

/// <summary>GPU use over the stream from <c>nvidia-smi</c>, over all GPUs.</summary>
internal sealed record GpuUse(bool Available, string Description, int Samples, double? MeanUtilizationPercent, double? MaxMemoryUsedMiB);

/// <summary>CPU use of one process over one sampling interval.</summary>
internal sealed record CpuTimelinePoint(double Seconds, string Role, double PercentOfCore);

/// <summary>Image quality of a mode's synthesized frames against the original frames.</summary>
/// <param name="InceptionScore">Null (not computed) unless an Inception file was given.</param>
internal sealed record ModeQuality(
    int Frames,
    double? MeanPsnr,
    double? MeanSsim,
    double? FdResNet18,
    double? FdResNet18Halves,
    double? FdResNet18NoiseFloor,
    double? InceptionScore,
    double? InceptionScoreStandardDeviation,
    double? Fid,
    double? FidNoiseFloor,
    IReadOnlyList<string> Notes);

/// <summary>The model run through ONNX Runtime directly, without broker, decoding or encoding.</summary>
internal sealed record BaselineResult(
    string Model,
    string ExecutionProvider,
    int Frames,
    int MaxBatch,
    int InputWidth,
    int InputHeight,
    int Batches,
    double Seconds,
    double FramesPerSecond,
    Distribution BatchMs);
