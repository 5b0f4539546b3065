using GanStream.Edge.Accounting;
using GanStream.Tests.Support;

namespace GanStream.Tests.Accounting;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class CameraAccountTests
{
    [Fact]
    public void Snapshot_EveryOutcome_Reconciles()
    {
        var account = new CameraAccount("street");
        for (int i = 0; i < 9; i++)
        {
            account.FrameRead();
        }

        account.FrameFiltered("blur");
        account.FrameDropped("capture-queue-full");
        for (int i = 0; i < 6; i++)
        {
            account.FrameSent(1000);
        }

        account.FrameSynthesized(TimeSpan.FromMilliseconds(120));
        account.FrameRejected("undecodable-payload");
        account.FrameExpired();
        account.SentFrameDropped("publish-failed");

        CameraSnapshot snapshot = account.Snapshot();
        Assert.Equal(9, snapshot.Read);
        Assert.Equal(1, snapshot.Queued);
        Assert.Equal(2, snapshot.InFlight);
        Assert.Equal(2, snapshot.DroppedTotal);
        Assert.Equal(6, snapshot.Sent);
        Assert.True(snapshot.Reconciles);
    }

    [Fact]
    public void Snapshot_FrameReadAndNotSettled_CountsAsQueued()
    {
        var account = new CameraAccount("street");
        account.FrameRead();

        CameraSnapshot snapshot = account.Snapshot();

        Assert.Equal(1, snapshot.Queued);
        Assert.True(snapshot.Reconciles);
    }

    [Fact]
    public async Task Snapshot_TakenWhileFramesMove_AlwaysReconciles()
    {
        var account = new CameraAccount("busy");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        Task[] writers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                account.FrameRead();
                account.FrameSent(10);
                account.FrameSynthesized(TimeSpan.FromMilliseconds(1));
                account.FrameRead();
                account.FrameFiltered("duplicate");
            }
        })).ToArray();

        int snapshots = 0;
        while (!stop.IsCancellationRequested)
        {
            CameraSnapshot snapshot = account.Snapshot();
            Assert.True(snapshot.Reconciles, $"read {snapshot.Read}, queued {snapshot.Queued}, in flight {snapshot.InFlight}");
            snapshots++;
        }

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(snapshots > 0);
        Assert.True(account.Snapshot().Reconciles);
    }

    [Fact]
    public void Reconciles_FrameWithoutOutcome_IsFalse()
    {
        var snapshot = new CameraSnapshot(
            "street",
            Read: 3,
            Filtered: new Dictionary<string, long> { ["blur"] = 1 },
            Dropped: new Dictionary<string, long>(),
            Sent: 1,
            SentBytes: 10,
            Synthesized: 1,
            Rejected: new Dictionary<string, long>(),
            Expired: 0,
            Queued: 0,
            InFlight: 0,
            Reconnects: 0,
            LatenciesMs: []);

        Assert.False(snapshot.Reconciles);
    }
}
