using System.Diagnostics;
using GanStream.Edge.Accounting;
using GanStream.Edge.Publishing;
using GanStream.Edge.Replies;
using GanStream.Pipeline.Logging;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using GanStream.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanStream.Tests.Delivery;

/// <summary>Each status a result can carry settles its frame with the matching outcome, once.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ResultMatcherTests
{
    [Theory]
    [InlineData(ResultStatus.Ok, "synthesized")]
    [InlineData(ResultStatus.Filtered, "filtered")]
    [InlineData(ResultStatus.Rejected, "rejected")]
    public void Deliver_EachStatus_SettlesTheFrameOnceWithItsOutcome(ResultStatus status, string outcome)
    {
        var account = new CameraAccount($"matcher-{outcome}");
        var inFlight = new InFlightFrames();
        var observed = new List<ulong>();
        var matcher = new ResultMatcher(inFlight, [new Recorder(observed)], new LogThrottle(TimeSpan.Zero), NullLogger.Instance);
        PendingFrame frame = Send(account, inFlight, sequence: 3);
        var result = new SynthesisResult { Status = status, ErrorReason = status == ResultStatus.Ok ? string.Empty : "duplicate" };

        matcher.Deliver(frame.CorrelationId, result);
        matcher.Deliver(frame.CorrelationId, result);

        CameraSnapshot snapshot = account.Snapshot();
        Assert.True(snapshot.Reconciles);
        Assert.Equal(0, snapshot.InFlight);
        Assert.Equal(status == ResultStatus.Ok ? 1 : 0, snapshot.Synthesized);
        Assert.Equal(status == ResultStatus.Filtered ? 1 : 0, snapshot.Filtered.GetValueOrDefault("duplicate"));
        Assert.Equal(status == ResultStatus.Rejected ? 1 : 0, snapshot.Rejected.GetValueOrDefault("duplicate"));
        Assert.Equal(status == ResultStatus.Ok ? [3ul] : [], observed);
    }

    [Fact]
    public void Take_SettledId_IsReportedAsDuplicateAndUnknownIdIsNot()
    {
        var account = new CameraAccount("matcher-take");
        var inFlight = new InFlightFrames();
        var matcher = new ResultMatcher(inFlight, [], new LogThrottle(TimeSpan.Zero), NullLogger.Instance);
        PendingFrame frame = Send(account, inFlight, sequence: 1);

        Assert.Same(frame, matcher.Take(frame.CorrelationId, out bool firstDuplicate));
        Assert.Null(matcher.Take(frame.CorrelationId, out bool secondDuplicate));
        Assert.Null(matcher.Take(CorrelationIds.Create(), out bool unknownDuplicate));

        Assert.False(firstDuplicate);
        Assert.True(secondDuplicate);
        Assert.False(unknownDuplicate);
    }

    private static PendingFrame Send(CameraAccount account, InFlightFrames inFlight, ulong sequence)
    {
        var window = new SemaphoreSlim(1, 1);
        window.Wait(TestContext.Current.CancellationToken);
        account.FrameRead();
        account.FrameSent(100);
        var frame = new PendingFrame(CorrelationIds.Create(), account, sequence, Stopwatch.GetTimestamp(), null, window);
        inFlight.Add(frame);
        return frame;
    }

    private sealed class Recorder(List<ulong> sequences) : IResultObserver
    {
        public void OnResult(PendingFrame frame, SynthesisResult result, TimeSpan latency) => sequences.Add(frame.Sequence);
    }
}
