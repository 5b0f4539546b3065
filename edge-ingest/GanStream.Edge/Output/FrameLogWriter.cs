using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using GanStream.Edge.Accounting;
using GanStream.Edge.Publishing;
using GanStream.Edge.Replies;
using GanStream.Pipeline.Logging;
using GanStream.Schemas;
using Microsoft.Extensions.Logging;

namespace GanStream.Edge.Output;

/// <summary>
/// Writes one JSON object per line for each synthesized frame (<see cref="FrameLogFields"/> names the properties),
/// and optionally the synthesized image as received. Records pass through a bounded queue to a writer task, so the
/// result listener never waits for the disk. When the queue is full the new record is dropped and counted. Disposal
/// drains the queue, appends one totals record per camera and closes the file.
/// </summary>
public sealed class FrameLogWriter : IResultObserver, IAsyncDisposable, IDisposable
{
    private readonly Channel<FrameLogEntry> queue;
    private readonly string? imageDirectory;
    private readonly ILogger logger;
    private readonly LogThrottle throttle = new(TimeSpan.FromSeconds(10));
    private readonly FileStream file;
    private readonly Utf8JsonWriter json;
    private readonly Dictionary<string, CameraAccount> cameras = new(StringComparer.Ordinal);
    private readonly Lock camerasGate = new();
    private readonly Task writing;
    private long dropped;
    private long written;
    private int disposed;

    /// <exception cref="IOException">The file cannot be created.</exception>
    public FrameLogWriter(FrameLogOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        if (!options.IsEnabled)
        {
            throw new ArgumentException("Edge:FrameLog:Path is empty; the frame log needs a file.", nameof(options));
        }

        this.logger = logger;
        string path = System.IO.Path.GetFullPath(options.Path!);
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        imageDirectory = string.IsNullOrWhiteSpace(options.ImageDirectory)
            ? null
            : System.IO.Path.GetFullPath(options.ImageDirectory);
        if (imageDirectory is not null)
        {
            Directory.CreateDirectory(imageDirectory);
        }

        file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        json = new Utf8JsonWriter(file, new JsonWriterOptions { SkipValidation = true });
        queue = Channel.CreateBounded<FrameLogEntry>(
            new BoundedChannelOptions(options.Capacity)
            {
                FullMode = BoundedChannelFullMode.DropWrite,
                SingleReader = true,
                SingleWriter = false,
            },
            _ => Interlocked.Increment(ref dropped));
        writing = Task.Run(WriteAllAsync);
        FrameLogLog.Opened(logger, path, imageDirectory ?? "none");
    }

    /// <summary>Full path of the log file.</summary>
    public string Path { get; }

    /// <summary>Frame records not written because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    public void OnResult(PendingFrame frame, SynthesisResult result, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);
        lock (camerasGate)
        {
            cameras.TryAdd(frame.CameraId, frame.Account);
        }

        var entry = new FrameLogEntry(
            frame.CameraId,
            frame.Sequence,
            frame.CorrelationId,
            result.CaptureTime?.ToDateTimeOffset(),
            DateTimeOffset.UtcNow,
            latency.TotalMilliseconds,
            result.Timings ?? new StageTimings(),
            result.Payload.Length,
            result.Width,
            result.Height,
            result.ModelName,
            result.ModelVersion,
            result.ExecutionProvider,
            result.WorkerId,
            result.Encoding,
            imageDirectory is null ? null : result.Payload.ToByteArray());

        // A full queue drops the record through the callback given to the channel, which counts it.
        queue.Writer.TryWrite(entry);
    }

    /// <summary>Writes what is queued and the camera totals, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        queue.Writer.TryComplete();
        await writing;
        WriteCameraTotals();
        await json.FlushAsync();
        await json.DisposeAsync();
        await file.DisposeAsync();
        FrameLogLog.Closed(logger, Path, Interlocked.Read(ref written), Dropped);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteAllAsync()
    {
        while (await queue.Reader.WaitToReadAsync())
        {
            while (queue.Reader.TryRead(out FrameLogEntry? entry))
            {
                WriteEntry(entry);
            }

            // Flushing once the queue is empty keeps the file current without a write per record under load.
            await json.FlushAsync();
        }
    }

    private void WriteEntry(FrameLogEntry entry)
    {
        string? image = null;
        if (entry.Image is not null)
        {
            image = TrySaveImage(entry);
        }

        json.WriteStartObject();
        json.WriteString(FrameLogFields.Record, FrameLogFields.FrameRecord);
        json.WriteString(FrameLogFields.Camera, entry.CameraId);
        json.WriteNumber(FrameLogFields.Sequence, entry.Sequence);
        json.WriteString(FrameLogFields.CorrelationId, entry.CorrelationId);
        if (entry.CapturedAt is { } captured)
        {
            json.WriteString(FrameLogFields.CapturedAt, captured);
        }

        json.WriteString(FrameLogFields.CompletedAt, entry.CompletedAt);
        json.WriteNumber(FrameLogFields.LatencyMs, Math.Round(entry.LatencyMs, 3));
        json.WriteNumber(FrameLogFields.InferenceMs, Math.Round(entry.Timings.InferenceMs, 3));
        json.WriteNumber(FrameLogFields.BatchSize, entry.Timings.BatchSize);
        json.WriteNumber(FrameLogFields.QueueMs, Math.Round(entry.Timings.QueueMs, 3));
        json.WriteNumber(FrameLogFields.DecodeMs, Math.Round(entry.Timings.DecodeMs, 3));
        json.WriteNumber(FrameLogFields.BatchWaitMs, Math.Round(entry.Timings.BatchWaitMs, 3));
        json.WriteNumber(FrameLogFields.EncodeMs, Math.Round(entry.Timings.EncodeMs, 3));
        json.WriteNumber(FrameLogFields.ResultBytes, entry.ResultBytes);
        json.WriteNumber(FrameLogFields.Width, entry.Width);
        json.WriteNumber(FrameLogFields.Height, entry.Height);
        json.WriteString(FrameLogFields.Model, entry.Model);
        json.WriteString(FrameLogFields.ModelVersion, entry.ModelVersion);
        json.WriteString(FrameLogFields.ExecutionProvider, entry.ExecutionProvider);
        json.WriteString(FrameLogFields.Worker, entry.Worker);
        if (image is not null)
        {
            json.WriteString(FrameLogFields.Image, image);
        }

        json.WriteEndObject();
        EndLine();
        Interlocked.Increment(ref written);
    }

    /// <returns>The image's path relative to the image folder, or null when it could not be written.</returns>
    private string? TrySaveImage(FrameLogEntry entry)
    {
        string name = entry.Sequence.ToString("D8", CultureInfo.InvariantCulture) + Extension(entry.Encoding);
        string relative = System.IO.Path.Combine(entry.CameraId, name);
        string path = System.IO.Path.Combine(imageDirectory!, relative);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, entry.Image!);
            return relative;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            if (throttle.TryAcquire($"image/{entry.CameraId}", out long suppressed))
            {
                FrameLogLog.ImageFailed(logger, entry.CameraId, entry.Sequence, path, exception.Message, suppressed);
            }

            return null;
        }
    }

    // NOTE: the writer learns a camera's account from its first result, so a camera without any result gets no
    // totals record.
    private void WriteCameraTotals()
    {
        List<CameraAccount> accounts;
        lock (camerasGate)
        {
            accounts = [.. cameras.Values];
        }

        foreach (CameraAccount account in accounts.OrderBy(a => a.CameraId, StringComparer.Ordinal))
        {
            CameraSnapshot snapshot = account.Snapshot();
            json.WriteStartObject();
            json.WriteString(FrameLogFields.Record, FrameLogFields.CameraRecord);
            json.WriteString(FrameLogFields.Camera, snapshot.CameraId);
            json.WriteNumber(FrameLogFields.FramesRead, snapshot.Read);
            json.WriteNumber(FrameLogFields.FramesFiltered, snapshot.FilteredTotal);
            json.WriteNumber(FrameLogFields.FramesDropped, snapshot.DroppedTotal);
            json.WriteNumber(FrameLogFields.FramesSent, snapshot.Sent);
            json.WriteNumber(FrameLogFields.FeatureBytesSent, snapshot.SentBytes);
            json.WriteNumber(FrameLogFields.FramesSynthesized, snapshot.Synthesized);
            json.WriteNumber(FrameLogFields.FramesRejected, snapshot.RejectedTotal);
            json.WriteNumber(FrameLogFields.FramesExpired, snapshot.Expired);
            json.WriteNumber(FrameLogFields.RecordsDropped, Dropped);
            json.WriteEndObject();
            EndLine();
        }
    }

    private void EndLine()
    {
        json.Flush();
        file.WriteByte((byte)'\n');

        // The writer keeps its state between objects; a reset lets the next object start a new JSON document.
        json.Reset();
    }

    private static string Extension(ImageEncoding encoding) => encoding switch
    {
        ImageEncoding.Png => ".png",
        ImageEncoding.Webp => ".webp",
        _ => ".jpg",
    };

    private sealed record FrameLogEntry(
        string CameraId,
        ulong Sequence,
        string CorrelationId,
        DateTimeOffset? CapturedAt,
        DateTimeOffset CompletedAt,
        double LatencyMs,
        StageTimings Timings,
        int ResultBytes,
        uint Width,
        uint Height,
        string Model,
        string ModelVersion,
        string ExecutionProvider,
        string Worker,
        ImageEncoding Encoding,
        byte[]? Image);
}
