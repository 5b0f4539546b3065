using System.Collections.Concurrent;
using GanStream.Edge.Publishing;
using GanStream.Edge.Replies;
using GanStream.Pipeline.Imaging;
using GanStream.Schemas;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace GanStream.Edge.Output;

/// <summary>The output writers of all cameras; creates each one at its camera's first result.</summary>
public sealed class OutputWriterSet : IResultObserver, IDisposable
{
    // Synthesized images are at most this large on either side; bigger declared sizes are rejected before decoding.
    private const int MaxImageSide = 16384;

    private readonly OutputOptions options;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, CameraOutputWriter> writers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> framesPerSecond = new(StringComparer.Ordinal);

    public OutputWriterSet(OutputOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.logger = logger;
        if (!string.IsNullOrWhiteSpace(options.Directory))
        {
            Directory.CreateDirectory(options.Directory);
        }
    }

    private bool Enabled => !string.IsNullOrWhiteSpace(options.Directory) && (options.WriteVideo || options.WriteSideBySide);

    /// <summary>Sets the frame rate of a camera's output video; call before its first result.</summary>
    public void SetFramesPerSecond(string cameraId, double value) => framesPerSecond[cameraId] = value;

    /// <summary>Paths of the videos written so far, by camera id.</summary>
    public IReadOnlyDictionary<string, string> VideoPaths =>
        writers.Where(w => w.Value.FramesWritten > 0).ToDictionary(w => w.Key, w => w.Value.VideoPath);

    public void OnResult(PendingFrame frame, SynthesisResult result, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);
        if (!Enabled)
        {
            return;
        }

        CameraOutputWriter writer = writers.GetOrAdd(
            frame.CameraId,
            id => new CameraOutputWriter(id, options, framesPerSecond.GetValueOrDefault(id, 10)));

        try
        {
            (Mat? synthesized, ImageRejection? rejection) =
                ImageCodec.Decode(result.Payload.Span, result.Encoding, MaxImageSide, MaxImageSide);
            if (synthesized is null)
            {
                EdgeLog.OutputFailed(logger, frame.CameraId, writer.VideoPath, rejection!.Detail);
                return;
            }

            using (synthesized)
            using (Mat? original = DecodeOriginal(frame))
            {
                writer.Write(synthesized, original, frame.Sequence);
            }
        }
        catch (Exception exception) when (exception is IOException or OpenCVException or UnauthorizedAccessException)
        {
            EdgeLog.OutputFailed(logger, frame.CameraId, writer.VideoPath, exception.Message);
        }
    }

    public void Dispose()
    {
        foreach (CameraOutputWriter writer in writers.Values)
        {
            writer.Dispose();
        }

        writers.Clear();
    }

    private static Mat? DecodeOriginal(PendingFrame frame)
    {
        if (frame.OriginalImage is null)
        {
            return null;
        }

        (Mat? image, _) = ImageCodec.Decode(frame.OriginalImage, ImageEncoding.Jpeg, MaxImageSide, MaxImageSide);
        return image;
    }
}
