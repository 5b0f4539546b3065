using GanStream.Edge.Cameras;
using GanStream.Edge.Capture;
using GanStream.Edge.Features;
using GanStream.Pipeline.Filtering;
using GanStream.Edge.Output;
using GanStream.Edge.Viewer;

namespace GanStream.Edge;

/// <summary>Settings of an edge ingest service (section <c>Edge</c>).</summary>
public sealed class EdgeOptions
{
    public const string SectionName = "Edge";

    /// <summary>Name of this edge in logs and in the consumer of its reply topic. Default: the host name.</summary>
    public string EdgeId { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>Cameras read by this edge.</summary>
    public List<CameraOptions> Cameras { get; set; } = [];

    public FilterOptions Filters { get; set; } = new();

    public FeatureOptions Features { get; set; } = new();

    public OutputOptions Output { get; set; } = new();

    public CaptureOptions Capture { get; set; } = new();

    public ViewerOptions Viewer { get; set; } = new();

    public CameraApiOptions CameraApi { get; set; } = new();

    /// <summary>
    /// Frames of one camera sent and still waiting for their result. A file source waits for a free slot; a live
    /// source drops the frame and counts it. Default 4.
    /// </summary>
    public int MaxInFlightPerCamera { get; set; } = 4;

    /// <summary>Time after which a sent frame without a result is counted as expired. Default 30 seconds.</summary>
    public TimeSpan ResultTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Frames read but not yet filtered, per camera. Default 4.</summary>
    public int CaptureQueueCapacity { get; set; } = 4;

    /// <summary>Limit for opening a network camera stream. Default 10 seconds.</summary>
    public TimeSpan SourceOpenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit for one frame read from a network camera stream. Default 10 seconds.</summary>
    public TimeSpan SourceReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest feature message sent, in bytes (the serialized <c>FrameFeatures</c>); a frame whose message is larger
    /// is dropped as <c>too-large</c>. Keep it at or below the brokers' <c>message.max.bytes</c>. Default
    /// 1,000,000, the producer default of librdkafka and below Kafka's default broker limit of 1,048,588.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 1_000_000;

    /// <summary>
    /// Largest result message read from the reply topic, in bytes; it also bounds the consumer's fetch sizes. A
    /// larger result counts its frame as rejected with <c>result-too-large</c>. Default 32 MiB.
    /// </summary>
    public int MaxResultBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Time allowed at shutdown, after capture stops, to flush the producer and wait for the results of frames in
    /// flight. Frames still in flight after it are reported. Default 20 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Checks the settings and throws with the name of the first invalid key.</summary>
    public void Validate()
    {
        if (Cameras.Count == 0)
        {
            throw new ArgumentException("Edge:Cameras is empty; configure at least one camera with an Id and a Source.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (CameraOptions camera in Cameras)
        {
            camera.Validate();
            if (!ids.Add(camera.Id))
            {
                throw new ArgumentException($"Edge:Cameras has two cameras with Id '{camera.Id}'; camera ids must be unique.");
            }
        }

        RequirePositive(MaxInFlightPerCamera, nameof(MaxInFlightPerCamera));
        RequirePositive(CaptureQueueCapacity, nameof(CaptureQueueCapacity));
        RequirePositive(ResultTimeout.TotalMilliseconds, nameof(ResultTimeout));
        RequirePositive(SourceOpenTimeout.TotalMilliseconds, nameof(SourceOpenTimeout));
        RequirePositive(SourceReadTimeout.TotalMilliseconds, nameof(SourceReadTimeout));
        RequirePositive(ShutdownTimeout.TotalMilliseconds, nameof(ShutdownTimeout));
        RequireRange(MaxMessageBytes, 1024, 1 << 30, nameof(MaxMessageBytes));
        RequireRange(MaxResultBytes, 1024, 1 << 30, nameof(MaxResultBytes));
        Capture.Validate();
        if (Features.Quality is < 1 or > 100)
        {
            throw new ArgumentException($"Edge:Features:Quality is {Features.Quality}; use 1 to 100.");
        }

        if (Features.FullFrameQuality is < 1 or > 100)
        {
            throw new ArgumentException($"Edge:Features:FullFrameQuality is {Features.FullFrameQuality}; use 1 to 100.");
        }

        if (Features.ScaleFactor is < 0 or > 16)
        {
            throw new ArgumentException($"Edge:Features:ScaleFactor is {Features.ScaleFactor}; use 1 to 16, or 0 to read it from the model.");
        }

        if (Filters.BlurThreshold < 0 || Filters.DuplicateThreshold < 0 || Filters.MaxFramesPerSecond < 0)
        {
            throw new ArgumentException("Edge:Filters values must be 0 (off) or positive.");
        }
    }

    private static void RequireRange(int value, int min, int max, string key)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"Edge:{key} is {value}; use {min} to {max}.");
        }
    }

    private static void RequirePositive(double value, string key)
    {
        if (!(value > 0))
        {
            throw new ArgumentException($"Edge:{key} is {value}; it must be positive.");
        }
    }
}
