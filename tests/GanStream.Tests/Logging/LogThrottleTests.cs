using GanStream.Pipeline.Logging;
using GanStream.Tests.Support;

namespace GanStream.Tests.Logging;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class LogThrottleTests
{
    [Fact]
    public void TryAcquire_RepeatsWithinInterval_AreHeldBackAndCounted()
    {
        var clock = new ManualClock();
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), clock);

        Assert.True(throttle.TryAcquire("camera/too-small", out long first));
        Assert.False(throttle.TryAcquire("camera/too-small", out _));
        Assert.False(throttle.TryAcquire("camera/too-small", out _));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(throttle.TryAcquire("camera/too-small", out long later));

        Assert.Equal(0, first);
        Assert.Equal(2, later);
    }

    [Fact]
    public void TryAcquire_DifferentKeys_AreIndependent()
    {
        var throttle = new LogThrottle(TimeSpan.FromMinutes(1), new ManualClock());

        Assert.True(throttle.TryAcquire("a", out _));
        Assert.True(throttle.TryAcquire("b", out _));
        Assert.False(throttle.TryAcquire("a", out _));
    }

    [Fact]
    public void TryAcquire_ZeroInterval_WritesEveryLine()
    {
        var throttle = new LogThrottle(TimeSpan.Zero, new ManualClock());

        Assert.True(throttle.TryAcquire("a", out _));
        Assert.True(throttle.TryAcquire("a", out long suppressed));
        Assert.Equal(0, suppressed);
    }

    /// <summary>A clock that moves only when the test advances it.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => ticks;

        public void Advance(TimeSpan by) => ticks += by.Ticks;
    }
}
