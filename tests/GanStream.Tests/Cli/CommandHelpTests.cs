using System.CommandLine;
using GanStream.Cli.Commands;
using GanStream.Tests.Support;

namespace GanStream.Tests.Cli;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class CommandHelpTests
{
    public static TheoryData<string> Commands => ["run", "edge", "cloud", "tail"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Options_EveryCommand_Described(string name)
    {
        Command command = Create(name);

        foreach (Option option in command.Options.Where(o => !o.Name.StartsWith("--help", StringComparison.Ordinal) && o.Name != "-?"))
        {
            Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{name} {option.Name} has no description");
        }
    }

    [Fact]
    public void MetricsUrl_Help_NamesHealthEndpointsAndKey()
    {
        Option option = Create("cloud").Options.Single(o => o.Name == "--metrics-url");

        Assert.Contains("/health/ready", option.Description, StringComparison.Ordinal);
        Assert.Contains("Metrics:Urls", option.Description, StringComparison.Ordinal);
    }

    private static Command Create(string name) => name switch
    {
        "run" => RunCommand.Create(),
        "edge" => EdgeCommand.Create(),
        "cloud" => CloudCommand.Create(),
        _ => TailCommand.Create(),
    };
}
