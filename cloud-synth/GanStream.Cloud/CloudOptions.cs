using GanStream.Pipeline.Filtering;
using GanStream.Schemas;

namespace GanStream.Cloud;

/// <summary>Settings of a synthesis worker (section <c>Cloud</c>).</summary>
public sealed class CloudOptions
{
    public const string SectionName = "Cloud";

    /// <summary>Name of this worker in results and logs. Default: host name and process id.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}";

    /// <summary>Kafka consumer group shared by all workers of a deployment. Default <c>ganstream-synth</c>.</summary>
    public string GroupId { get; set; } = "ganstream-synth";

    /// <summary>Most frames in one inference call. Default 4.</summary>
    public int MaxBatchSize { get; set; } = 4;

    /// <summary>Longest time the first frame of a batch waits for more frames. Default 10 ms.</summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Messages read from Kafka and not yet decoded; when full, the partitions are paused. Default 16.</summary>
    public int InboundQueueCapacity { get; set; } = 16;

    /// <summary>Decoded frames waiting for a batch. Default 16.</summary>
    public int ReadyQueueCapacity { get; set; } = 16;

    /// <summary>Inference outputs waiting to be encoded. Default 2 batches.</summary>
    public int OutputQueueCapacity { get; set; } = 2;

    /// <summary>Threads decoding messages. Default 1.</summary>
    public int DecodeConcurrency { get; set; } = 1;

    /// <summary>Threads encoding results. Default 1.</summary>
    public int EncodeConcurrency { get; set; } = 1;

    /// <summary>Compression of synthesized images: Jpeg (default), Webp or Png.</summary>
    public ImageEncoding OutputEncoding { get; set; } = ImageEncoding.Jpeg;

    /// <summary>JPEG or WebP quality of synthesized images, 1 to 100. Default 90.</summary>
    public int OutputQuality { get; set; } = 90;

    /// <summary>Largest feature image accepted, in pixels per side. Default 4096.</summary>
    public int MaxInputSide { get; set; } = 4096;

    /// <summary>
    /// Largest feature message accepted, in bytes; larger ones are dead-lettered without their value. It also bounds
    /// the consumer's fetch sizes. Default 8 MiB.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Largest result message sent, in bytes; a larger result is rejected as <c>result-too-large</c>. Keep it at or
    /// below the brokers' <c>message.max.bytes</c> and the edges' <c>Edge:MaxResultBytes</c>. Default 32 MiB.
    /// </summary>
    public int MaxResultBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Reply topics a request may name must start with this prefix, so that a client cannot make workers write to
    /// arbitrary topics. Empty allows any topic. Default <c>ganstream.</c>.
    /// </summary>
    public string AllowedReplyTopicPrefix { get; set; } = "ganstream.";

    /// <summary>
    /// Filters the worker applies to whole frames, which edges send in cloud-only mode; the same settings as
    /// <c>Edge:Filters</c>. Downscaled features are never filtered here, because their edge filtered them already.
    /// </summary>
    public FilterOptions Filters { get; set; } = new();

    /// <summary>Time allowed at shutdown to finish the frames already read. Default 30 seconds.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the settings and throws with the name of the first invalid key.</summary>
    public void Validate()
    {
        RequireRange(MaxBatchSize, 1, 256, nameof(MaxBatchSize));
        RequireRange(InboundQueueCapacity, 1, 100_000, nameof(InboundQueueCapacity));
        RequireRange(ReadyQueueCapacity, 1, 100_000, nameof(ReadyQueueCapacity));
        RequireRange(OutputQueueCapacity, 1, 1_000, nameof(OutputQueueCapacity));
        RequireRange(DecodeConcurrency, 1, 64, nameof(DecodeConcurrency));
        RequireRange(EncodeConcurrency, 1, 64, nameof(EncodeConcurrency));
        RequireRange(OutputQuality, 1, 100, nameof(OutputQuality));
        RequireRange(MaxInputSide, 1, 65_535, nameof(MaxInputSide));
        RequireRange(MaxMessageBytes, 1024, 1 << 30, nameof(MaxMessageBytes));
        RequireRange(MaxResultBytes, 1024, 1 << 30, nameof(MaxResultBytes));
        if (DrainTimeout <= TimeSpan.Zero || DrainTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException($"Cloud:DrainTimeout is {DrainTimeout}; use more than 0 and at most 10 minutes.");
        }
        if (MaxBatchDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"Cloud:MaxBatchDelay is {MaxBatchDelay}; it must not be negative.");
        }

        if (string.IsNullOrWhiteSpace(GroupId))
        {
            throw new ArgumentException("Cloud:GroupId is empty; give the consumer group name shared by the workers.");
        }
    }

    private static void RequireRange(int value, int min, int max, string key)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"Cloud:{key} is {value}; use {min} to {max}.");
        }
    }
}
