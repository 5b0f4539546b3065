using GanStream.Cli.Evaluation;
using GanStream.Cli.Hosting;
using GanStream.Tests.Support;

namespace GanStream.Tests.Evaluation;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class FrameRangeTests
{
    [Theory]
    [InlineData("10", 0, 9L)]
    [InlineData("5-7", 5, 7L)]
    [InlineData("150-", 150, null)]
    [InlineData(" 3-3 ", 3, 3L)]
    public void Parse_ValidText_GivesInclusiveRange(string text, long first, long? last)
    {
        FrameRange range = FrameRange.Parse(text);

        Assert.Equal(first, range.First);
        Assert.Equal(last, range.Last);
    }

    [Fact]
    public void Parse_Empty_SelectsAll()
    {
        FrameRange range = FrameRange.Parse(null);

        Assert.True(range.Contains(0));
        Assert.True(range.Contains(1_000_000));
        Assert.False(range.IsPast(1_000_000));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("7-5")]
    [InlineData("a-b")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public void Parse_InvalidText_ThrowsCliException(string text)
    {
        Assert.Throws<CliException>(() => FrameRange.Parse(text));
    }
}
