using GanStream.Pipeline.Messaging;
using GanStream.Tests.Support;

namespace GanStream.Tests.Messaging;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class TraceParentTests
{
    [Fact]
    public void ToStringThenTryParse_RoundTrips()
    {
        TraceParent original = TraceParent.CreateRoot();

        Assert.True(TraceParent.TryParse(original.ToString(), out TraceParent parsed));

        Assert.Equal(original, parsed);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", original.ToString());
    }

    [Fact]
    public void CreateChild_KeepsTraceIdAndChangesSpanId()
    {
        TraceParent parent = TraceParent.CreateRoot();

        TraceParent child = parent.CreateChild();

        Assert.Equal(parent.TraceId, child.TraceId);
        Assert.NotEqual(parent.SpanId, child.SpanId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0")]
    [InlineData("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    public void TryParse_Invalid_ReturnsFalse(string? value)
    {
        Assert.False(TraceParent.TryParse(value, out _));
    }

    [Fact]
    public void TryParse_UnsampledFlag_IsRead()
    {
        Assert.True(TraceParent.TryParse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", out TraceParent parsed));

        Assert.False(parsed.Sampled);
    }

    [Fact]
    public void CorrelationIds_Create_AreValidAndDistinct()
    {
        string first = CorrelationIds.Create();
        string second = CorrelationIds.Create();

        Assert.True(CorrelationIds.IsValid(first));
        Assert.NotEqual(first, second);
        Assert.False(CorrelationIds.IsValid(first.ToUpperInvariant()));
        Assert.False(CorrelationIds.IsValid(first[1..]));
    }
}
