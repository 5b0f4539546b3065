using System.Collections.Concurrent;
using System.Diagnostics;
using GanStream.Edge.Publishing;
using GanStream.Edge.Replies;
using GanStream.Schemas;
using Microsoft.Extensions.Options;

namespace GanStream.Edge.Viewer;

/// <summary>
/// Keeps the latest synthesized result of each camera and the input it was made from, for the live viewer. Memory is
/// bounded: one <see cref="ViewerFrame"/> per camera, whose images refer to the bytes of the messages already sent
/// and received, and the entry of a removed camera is dropped. Nothing is decoded or encoded on the listener thread.
/// </summary>
public sealed class LiveViewer : IResultObserver
{
    /// <summary>Number of latest results the frame rate is measured over.</summary>
    public const int RateWindow = 16;

    private readonly bool enabled;
    private readonly ConcurrentDictionary<string, CameraFeed> feeds = new(StringComparer.Ordinal);

    public LiveViewer(IOptions<EdgeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        enabled = options.Value.Viewer.Enabled;
    }

    public void OnResult(PendingFrame frame, SynthesisResult result, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);
        if (!enabled)
        {
            return;
        }

        CameraFeed feed = feeds.GetOrAdd(frame.CameraId, _ => new CameraFeed());
        feed.Update(frame, result, latency);
    }

    public void OnCameraRemoved(string cameraId) => feeds.TryRemove(cameraId, out _);

    /// <summary>Returns the latest result of a camera, or null when none came back yet.</summary>
    public ViewerFrame? Latest(string cameraId) => feeds.TryGetValue(cameraId, out CameraFeed? feed) ? feed.Latest : null;

    /// <summary>Latest result and arrival times of one camera; updated by the listener thread.</summary>
    private sealed class CameraFeed
    {
        private readonly Lock gate = new();
        private readonly long[] arrivals = new long[RateWindow];
        private int arrivalCount;
        private int nextArrival;
        private volatile ViewerFrame? latest;

        public ViewerFrame? Latest => latest;

        public void Update(PendingFrame frame, SynthesisResult result, TimeSpan latency)
        {
            long now = Stopwatch.GetTimestamp();
            double? rate;
            lock (gate)
            {
                arrivals[nextArrival] = now;
                nextArrival = (nextArrival + 1) % RateWindow;
                arrivalCount = Math.Min(arrivalCount + 1, RateWindow);
                rate = MeasureRate(now);
            }

            var output = new ViewerImage(result.Payload.Memory, result.Encoding, (int)result.Width, (int)result.Height);
            (ViewerImage? input, ViewerInputKind kind) = SelectInput(frame);
            FrameFeatures? features = frame.Features;
            latest = new ViewerFrame(
                frame.Sequence,
                input,
                kind,
                (int)(features?.SourceWidth ?? 0),
                (int)(features?.SourceHeight ?? 0),
                output,
                $"{result.ModelName}:{result.ModelVersion}",
                result.ExecutionProvider,
                latency,
                rate,
                now);
        }

        /// <summary>Results per second between the oldest and newest arrival in the window.</summary>
        private double? MeasureRate(long now)
        {
            if (arrivalCount < 2)
            {
                return null;
            }

            long oldest = arrivals[(nextArrival - arrivalCount + RateWindow) % RateWindow];
            double seconds = Stopwatch.GetElapsedTime(oldest, now).TotalSeconds;
            return seconds > 0 ? (arrivalCount - 1) / seconds : null;
        }

        /// <summary>
        /// Picks the full-size frame kept for side-by-side output when there is one, else the feature image that was
        /// sent; both are bytes that already exist.
        /// </summary>
        private static (ViewerImage? Image, ViewerInputKind Kind) SelectInput(PendingFrame frame)
        {
            FrameFeatures? features = frame.Features;
            if (frame.OriginalImage is { } original && features is not null)
            {
                var image = new ViewerImage(
                    original,
                    ImageEncoding.Jpeg,
                    (int)features.SourceWidth,
                    (int)features.SourceHeight);
                return (image, ViewerInputKind.Original);
            }

            if (features is not null)
            {
                var image = new ViewerImage(features.Payload.Memory, features.Encoding, (int)features.Width, (int)features.Height);
                return (image, ViewerInputKind.Feature);
            }

            return (null, ViewerInputKind.Feature);
        }
    }
}
