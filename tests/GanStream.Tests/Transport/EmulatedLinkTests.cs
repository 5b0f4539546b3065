using GanStream.Pipeline.Transport;
using GanStream.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GanStream.Tests.Transport;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class EmulatedLinkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Send_ThreeMessagesAtOneMegabit_ArriveOneSecondApartAfterHalfRoundTrip()
    {
        var clock = new FakeTimeProvider();
        await using var link = new EmulatedLink(1, TimeSpan.FromMilliseconds(100), TimeSpan.Zero, seed: 1, clock);
        var delivered = new List<int>();
        var arrivals = new SemaphoreSlim(0);

        // 125,000 bytes take exactly one second at 1 Mbit/s.
        TimeSpan[] delays = Enumerable.Range(0, 3)
            .Select(i => link.Send(125_000, () =>
            {
                lock (delivered)
                {
                    delivered.Add(i);
                }

                arrivals.Release();
            }))
            .ToArray();

        Assert.Equal([TimeSpan.FromMilliseconds(1050), TimeSpan.FromMilliseconds(2050), TimeSpan.FromMilliseconds(3050)], delays);
        clock.Advance(TimeSpan.FromMilliseconds(1049));
        Assert.False(await arrivals.WaitAsync(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken));
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.True(await arrivals.WaitAsync(Timeout, TestContext.Current.CancellationToken));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await arrivals.WaitAsync(Timeout, TestContext.Current.CancellationToken));
        Assert.True(await arrivals.WaitAsync(Timeout, TestContext.Current.CancellationToken));
        Assert.Equal([0, 1, 2], delivered);
    }

    [Fact]
    public void Send_WithJitter_KeepsOrder()
    {
        var clock = new FakeTimeProvider();
        var link = new EmulatedLink(0, TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(50), seed: 3, clock);

        TimeSpan[] delays = Enumerable.Range(0, 50).Select(_ => link.Send(1000, () => { })).ToArray();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(15), TimeSpan.FromMilliseconds(65)));
        Assert.Equal(delays.Order(), delays);
    }

    [Fact]
    public void Send_IdleLinkAfterBusyPeriod_StartsTransmittingAtOnce()
    {
        var clock = new FakeTimeProvider();
        var link = new EmulatedLink(8, TimeSpan.Zero, TimeSpan.Zero, seed: 1, clock);

        TimeSpan first = link.Send(1_000_000, () => { });
        clock.Advance(TimeSpan.FromSeconds(5));
        TimeSpan second = link.Send(1_000_000, () => { });

        Assert.Equal(TimeSpan.FromSeconds(1), first);
        Assert.Equal(TimeSpan.FromSeconds(1), second);
    }

    [Fact]
    public async Task Send_DeliveryThrows_ReportsAndKeepsDelivering()
    {
        var errors = new List<Exception>();
        var delivered = new TaskCompletionSource();
        await using var link = new EmulatedLink(0, TimeSpan.Zero, TimeSpan.Zero, 1, TimeProvider.System, errors.Add);

        link.Send(10, () => throw new InvalidOperationException("broken"));
        link.Send(10, () => delivered.SetResult());

        await delivered.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Single(errors);
    }

    [Fact]
    public void Options_Describe_LabelsEmulation()
    {
        var options = new LinkOptions { UplinkMbps = 20, RoundTripMs = 30 };

        Assert.Equal("emulated link: 20 Mbit/s up, 30 ms RTT", options.Describe());
        Assert.Equal("no link emulation", new LinkOptions().Describe());
    }

    [Fact]
    public async Task Pending_CountsMessagesUntilDelivered()
    {
        var clock = new FakeTimeProvider();
        await using var link = new EmulatedLink(1, TimeSpan.Zero, TimeSpan.Zero, seed: 1, clock);
        var arrivals = new SemaphoreSlim(0);

        link.Send(125_000, () => arrivals.Release());
        link.Send(125_000, () => arrivals.Release());

        Assert.Equal(2, link.Pending);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await arrivals.WaitAsync(Timeout, TestContext.Current.CancellationToken));
        await WaitUntilAsync(() => link.Pending == 1);
        Assert.Equal(1, link.Pending);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await arrivals.WaitAsync(Timeout, TestContext.Current.CancellationToken));
        await WaitUntilAsync(() => link.Pending == 0);
        Assert.Equal(0, link.Pending);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!condition() && !timeout.IsCancellationRequested)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
