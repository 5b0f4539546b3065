using GanStream.Cli.Hosting;
using GanStream.Cli.Soak;
using GanStream.Tests.Support;

namespace GanStream.Tests.Soak;

/// <summary>A short soak: the looped clip with faults every few seconds, judged like the long one.</summary>
[Trait(TestCategories.Name, TestCategories.Fault)]
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class SoakRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Soak_ShortRunWithFaults_CountsReconcileAndCorruptMessagesAreDeadLettered()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var soak = new SoakSettings(
            TimeSpan.FromSeconds(60),
            Seed: 11,
            FaultInterval: TimeSpan.FromSeconds(8),
            ReportInterval: TimeSpan.FromSeconds(10));
        var text = new StringWriter();

        int exitCode = await SoakRun.ExecuteAsync(
            soak,
            bootstrap =>
            {
                var settings = new HostSettings { Bootstrap = bootstrap };
                settings.Set("Models:Path", TestPaths.Models);
                settings.Set("Models:DefaultModel", "esrgan-slim-x4");
                settings.Set("Metrics:Urls", "http://127.0.0.1:0");
                settings.Set("Edge:Cameras:0:Id", "soak");
                settings.Set("Edge:Cameras:0:Source", TestPaths.SampleClip);
                settings.Set("Edge:Cameras:0:Loop", true);
                settings.Set("Edge:ResultTimeout", "00:01:00");
                return settings;
            },
            text,
            cancellationToken).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);

        string report = text.ToString();
        output.WriteLine(report);
        Assert.Equal(0, exitCode);
        Assert.Contains("counts reconcile:  yes", report, StringComparison.Ordinal);
        Assert.Contains("corrupt messages", report, StringComparison.Ordinal);
        Assert.Contains("broker down", report, StringComparison.Ordinal);
        Assert.Contains("verdict:           PASS", report, StringComparison.Ordinal);
        Assert.DoesNotContain(" NO ", report, StringComparison.Ordinal);
    }
}
