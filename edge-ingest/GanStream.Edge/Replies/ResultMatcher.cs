using System.Diagnostics;
using GanStream.Edge.Publishing;
using GanStream.Pipeline.Logging;
using GanStream.Schemas;
using Microsoft.Extensions.Logging;

namespace GanStream.Edge.Replies;

/// <summary>
/// Settles frames in flight with the outcome that came back for them: synthesized (handed to every observer),
/// filtered by the cloud, rejected, or expired. Remembers recently settled correlation ids, so a second result for a
/// frame is distinguished from one this edge never requested. Thread-safe.
/// </summary>
public sealed class ResultMatcher
{
    private readonly InFlightFrames inFlight;
    private readonly IReadOnlyList<IResultObserver> observers;
    private readonly LogThrottle throttle;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Lock deliveryGate = new();
    private readonly RecentCorrelationIds settled = new(8192);

    public ResultMatcher(
        InFlightFrames inFlight,
        IReadOnlyList<IResultObserver> observers,
        LogThrottle throttle,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(inFlight);
        ArgumentNullException.ThrowIfNull(observers);
        this.inFlight = inFlight;
        this.observers = observers;
        this.throttle = throttle;
        this.logger = logger;
    }

    /// <summary>Takes the frame sent with <paramref name="correlationId"/> out of the in-flight set.</summary>
    /// <param name="duplicate">When no frame is returned: true if the frame was settled recently.</param>
    /// <returns>The frame, or null when none is in flight with that id.</returns>
    public PendingFrame? Take(string correlationId, out bool duplicate)
    {
        lock (gate)
        {
            if (inFlight.TryRemove(correlationId, out PendingFrame frame))
            {
                settled.Add(correlationId);
                duplicate = false;
                return frame;
            }

            duplicate = settled.Contains(correlationId);
            return null;
        }
    }

    /// <summary>
    /// Takes the frame and settles it with <paramref name="result"/>; ignores an id that matches no frame. Deliveries
    /// from several threads run one at a time.
    /// </summary>
    public void Deliver(string correlationId, SynthesisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (deliveryGate)
        {
            if (Take(correlationId, out _) is { } frame)
            {
                Settle(frame, result);
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> between two deliveries, never during one.</summary>
    public Task InvokeAsync(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (deliveryGate)
        {
            action();
        }

        return Task.CompletedTask;
    }

    /// <summary>Settles a frame taken with <see cref="Take"/> by the status of its result.</summary>
    public void Settle(PendingFrame frame, SynthesisResult result)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);
        string reason = string.IsNullOrEmpty(result.ErrorReason) ? "unspecified" : BoundReason(result.ErrorReason);
        switch (result.Status)
        {
            case ResultStatus.Ok:
                TimeSpan latency = Stopwatch.GetElapsedTime(frame.CaptureTimestamp);
                frame.Account.FrameSynthesized(latency);
                foreach (IResultObserver observer in observers)
                {
                    observer.OnResult(frame, result, latency);
                }

                break;

            case ResultStatus.Filtered:
                frame.Account.SentFrameFiltered(reason);
                break;

            default:
                Reject(frame, reason, result.WorkerId, reason);
                break;
        }
    }

    /// <summary>Settles a frame as rejected, for a result that came back unusable or with a rejection.</summary>
    public void Reject(PendingFrame frame, string reason, string workerId, string detail)
    {
        ArgumentNullException.ThrowIfNull(frame);
        frame.Account.FrameRejected(reason);
        if (throttle.TryAcquire($"rejected/{frame.CameraId}/{reason}", out long suppressed))
        {
            EdgeLog.FrameRejected(logger, frame.CameraId, frame.Sequence, workerId, detail, suppressed);
        }
    }

    /// <summary>Settles frames sent longer ago than <paramref name="resultTimeout"/> as expired.</summary>
    public void ExpireOverdue(TimeSpan resultTimeout)
    {
        foreach (PendingFrame frame in inFlight.RemoveExpired(resultTimeout))
        {
            frame.Account.FrameExpired();
            lock (gate)
            {
                settled.Add(frame.CorrelationId);
            }

            if (throttle.TryAcquire($"expired/{frame.CameraId}", out long suppressed))
            {
                EdgeLog.FrameExpired(logger, frame.CameraId, frame.Sequence, resultTimeout.TotalSeconds, suppressed);
            }
        }
    }

    /// <summary>
    /// Keeps a worker's reason usable as a metric label and a count key: workers send one of a fixed set of short
    /// reasons, and anything longer or unusual is folded into one value.
    /// </summary>
    private static string BoundReason(string reason) =>
        reason.Length <= 64 && reason.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? reason : "other";
}
