using GanStream.Pipeline.Hosting;
using GanStream.Tests.Support;

namespace GanStream.Tests.Observability;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class LogThrottleTests
{
    [Fact]
    public void TryEnter_WithinInterval_LetsFirstThrough()
    {
        var throttle = new LogThrottle(TimeSpan.FromHours(1));

        Assert.True(throttle.TryEnter());
        Assert.False(throttle.TryEnter());
        Assert.False(throttle.TryEnter());
    }

    [Fact]
    public void TryEnter_ZeroInterval_LetsEveryCallThrough()
    {
        var throttle = new LogThrottle(TimeSpan.Zero);

        Assert.True(throttle.TryEnter());
        Assert.True(throttle.TryEnter());
    }
}
