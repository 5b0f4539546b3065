using GanStream.Cli;
using GanStream.Cli.Hosting;
using GanStream.Tests.Support;

namespace GanStream.Tests.Cli;

/// <summary>Mistakes on the command line end with one message naming the option, and exit code 2, before anything starts.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class CommandLineErrorTests
{
    [Theory]
    [InlineData("run --max-fps abc", "--max-fps expects a number (frames per second), got 'abc'")]
    [InlineData("run --max-frames -5", "--max-frames must be 0 or more (frames), got -5")]
    [InlineData("run --threads -1", "--threads must be from 0 to 1024 (threads), got -1")]
    [InlineData("run --no-such-option", "--no-such-option")]
    [InlineData("run --input /no/such/clip.avi", "--input: Camera source '/no/such/clip.avi' is not a file that exists")]
    [InlineData("run --metrics-url ftp://x", "--metrics-url 'ftp://x' is invalid")]
    [InlineData("run --bootstrap-servers ftp://x", "--bootstrap-servers 'ftp://x' is invalid")]
    [InlineData("run --model ../x", "--model: Model '../x' is not in the model repository")]
    [InlineData("edge", "No camera: give at least one --camera id=source")]
    [InlineData("edge --camera noequals", "--camera 'noequals' is invalid; write it as id=source")]
    [InlineData("run --mode fast", "Argument 'fast' not recognized. Must be one of")]
    [InlineData("run --link 20/x/30", "--link: '20/x/30' is not UP/DOWN/RTT[/JITTER]")]
    [InlineData("run --link 20/30", "--link: '20/30' is not UP/DOWN/RTT[/JITTER]")]
    [InlineData("cloud --mode edge-only", "in edge-only mode the edge synthesizes itself; run no worker")]
    [InlineData("run --max-frames 4 --config /no/such/settings.json", "--config: The configuration file")]
    [InlineData("run --max-frames 4 --config BAD_JSON", "--config: Failed to load configuration from file")]
    [InlineData("run --max-frames 4 --config BAD_TYPE", "Failed to convert configuration value 'many' at 'Edge:Filters:BlurThreshold'")]
    public async Task Main_InvalidOption_PrintsMessageAndExitsWithTwo(string arguments, string expectedMessage)
    {
        string output = TestPaths.CreateTemporaryFolder();
        string badTypeConfig = Path.Combine(output, "bad-type.json");
        await File.WriteAllTextAsync(
            badTypeConfig,
            """{ "Edge": { "Filters": { "BlurThreshold": "many" } } }""",
            TestContext.Current.CancellationToken);
        string badJsonConfig = Path.Combine(output, "bad-json.json");
        await File.WriteAllTextAsync(badJsonConfig, "{ \"Edge\": ", TestContext.Current.CancellationToken);
        string[] args = arguments
            .Replace("BAD_TYPE", badTypeConfig, StringComparison.Ordinal)
            .Replace("BAD_JSON", badJsonConfig, StringComparison.Ordinal)
            .Split(' ');
        if (args[0] == "run")
        {
            args = [.. args, "--output", Path.Combine(output, "out")];
        }

        (int exitCode, string error) = await RunMainAsync(args);

        Assert.Equal(Program.UsageErrorExitCode, exitCode);
        Assert.Contains(expectedMessage, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputFolder_SecondRunOnSameFolder_IsRefusedUntilFirstEnds()
    {
        string path = Path.Combine(TestPaths.CreateTemporaryFolder(), "shared");

        using (OutputFolder first = OutputFolder.Open(path, "--output"))
        {
            var exception = Assert.Throws<CliException>(() => OutputFolder.Open(path, "--output"));
            Assert.Contains("in use by another run", exception.Message, StringComparison.Ordinal);
        }

        using OutputFolder again = OutputFolder.Open(path, "--output");
        Assert.Equal(Path.GetFullPath(path), again.Path);
    }

    [Fact]
    public void OutputFolder_PathIsFile_IsRefused()
    {
        string file = Path.Combine(TestPaths.CreateTemporaryFolder(), "a-file");
        File.WriteAllText(file, "x");

        var exception = Assert.Throws<CliException>(() => OutputFolder.Open(file, "--output"));

        Assert.Contains("is a file", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputFolder_CreatedAndLeftEmpty_IsRemoved()
    {
        string path = Path.Combine(TestPaths.CreateTemporaryFolder(), "unused");

        OutputFolder.Open(path, "--output").Dispose();

        Assert.False(Directory.Exists(path));
    }

    private static async Task<(int ExitCode, string Error)> RunMainAsync(string[] args)
    {
        // Console output is process-wide, so the tests that redirect it run one at a time. The writer is never
        // disposed: other tests running in parallel may still write to standard error while it is redirected.
        await ConsoleGate.WaitAsync(TestContext.Current.CancellationToken);
        TextWriter originalError = Console.Error;
        var error = new StringWriter();
        try
        {
            Console.SetError(TextWriter.Synchronized(error));
            int exitCode = await Program.Main(args).WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
            return (exitCode, error.ToString());
        }
        finally
        {
            Console.SetError(originalError);
            ConsoleGate.Release();
        }
    }

    private static readonly SemaphoreSlim ConsoleGate = new(1, 1);
}
