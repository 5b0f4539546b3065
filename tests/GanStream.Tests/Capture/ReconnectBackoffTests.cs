using GanStream.Edge.Capture;
using GanStream.Tests.Support;

namespace GanStream.Tests.Capture;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ReconnectBackoffTests
{
    [Fact]
    public void NextDelay_Attempts_DoubleUpToMaximumWithJitterBelow20Percent()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(1));
        double[] expected = [1, 2, 4, 8, 16, 30, 30, 30];

        foreach (double full in expected)
        {
            double seconds = backoff.NextDelay().TotalSeconds;
            Assert.InRange(seconds, full * 0.8, full);
        }

        Assert.Equal(expected.Length, backoff.Attempts);
    }

    [Fact]
    public void Reset_AfterAttempts_StartsAgainFromInitialDelay()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(2));
        backoff.NextDelay();
        backoff.NextDelay();
        backoff.NextDelay();

        backoff.Reset();

        Assert.Equal(0, backoff.Attempts);
        Assert.InRange(backoff.NextDelay().TotalSeconds, 0.8, 1);
    }

    [Fact]
    public void NextDelay_ManyAttempts_NeverOverflowsPastMaximum()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5), new Random(3));
        TimeSpan last = TimeSpan.Zero;
        for (int i = 0; i < 200; i++)
        {
            last = backoff.NextDelay();
        }

        Assert.InRange(last.TotalMinutes, 4, 5);
    }
}
