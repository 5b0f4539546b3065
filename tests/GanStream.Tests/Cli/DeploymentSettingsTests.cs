using GanStream.Cli.Commands;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Hosting;
using GanStream.Tests.Support;

namespace GanStream.Tests.Cli;

/// <summary>How the command line spells deployment modes and emulated links.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class DeploymentSettingsTests
{
    [Theory]
    [InlineData("hybrid", PipelineMode.Hybrid)]
    [InlineData("cloud-only", PipelineMode.CloudOnly)]
    [InlineData("EdgeOnly", PipelineMode.EdgeOnly)]
    [InlineData("edge_only", PipelineMode.EdgeOnly)]
    public void ParseMode_KnownSpelling_ReturnsMode(string text, PipelineMode expected)
    {
        Assert.Equal(expected, PipelineOptions.ParseMode(text));
        Assert.Equal(expected, PipelineOptions.ParseMode(PipelineOptions.Format(expected)));
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("3")]
    [InlineData("")]
    public void ParseMode_Unknown_ThrowsWithTheChoices(string text)
    {
        var exception = Assert.Throws<ArgumentException>(() => PipelineOptions.ParseMode(text));
        Assert.Contains("hybrid, cloud-only or edge-only", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinkSpec_FourParts_SetsEveryLinkKey()
    {
        var settings = new HostSettings();

        LinkSpec.Apply("20/50/30/5.5", settings);

        Assert.Equal("20", settings.Overrides["Link:UplinkMbps"]);
        Assert.Equal("50", settings.Overrides["Link:DownlinkMbps"]);
        Assert.Equal("30", settings.Overrides["Link:RoundTripMs"]);
        Assert.Equal("5.5", settings.Overrides["Link:JitterMs"]);
    }

    [Theory]
    [InlineData("20/50")]
    [InlineData("20/50/30/5/1")]
    [InlineData("20/-1/30")]
    [InlineData("20/NaN/30")]
    public void LinkSpec_Malformed_IsRefused(string value) =>
        Assert.Throws<CliException>(() => LinkSpec.Apply(value, new HostSettings()));
}
