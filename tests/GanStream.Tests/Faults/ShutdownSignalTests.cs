using System.Text.Json;
using GanStream.Tests.Support;

namespace GanStream.Tests.Faults;

/// <summary><c>ganstream run</c> in a child process stopped with SIGTERM while frames are in every stage.</summary>
[Trait(TestCategories.Name, TestCategories.Fault)]
[Trait(TestCategories.Name, TestCategories.EndToEnd)]
public sealed class ShutdownSignalTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Run_SigtermUnderLoad_StopsInOrderAndWritesSummary()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        string folder = TestPaths.CreateTemporaryFolder();
        using CliProcess run = CliProcess.Start(
        [
            "run",
            "--input", TestPaths.SampleClip,
            "--model", "esrgan-slim-x4",
            "--model-repository", TestPaths.Models,
            "--output", folder,
            "--metrics-url", "http://127.0.0.1:0",
        ]);
        try
        {
            await run.WaitForLineAsync("Camera camera-1 opened", Timeout, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(8), cancellationToken);
            Assert.False(run.HasExited, "the run ended before it could be stopped; it needs a longer input");

            run.Terminate();
            int exitCode = await run.WaitForExitAsync(Timeout, cancellationToken);

            string[] steps =
            [
                "Shutdown step 1: capture stopped",
                "Shutdown step 2: producer flushed",
                "Shutdown step 3: waited",
                "Shutdown step 1: polling stopped",
                "Shutdown step 2: decode, inference and encode drained",
                "Shutdown step 3: producer flushed",
                "Shutdown step 4: offsets committed",
                "Shutdown step 5: consumer closed",
                "summary written to",
            ];
            int[] positions = steps.Select(step => run.Lines.ToList().FindIndex(line => line.Contains(step, StringComparison.Ordinal))).ToArray();
            using JsonDocument summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "summary.json"), cancellationToken));
            JsonElement camera = summary.RootElement.GetProperty("cameras")[0];

            Assert.Equal(130, exitCode);
            Assert.All(positions.Zip(steps), p => Assert.True(p.First >= 0, $"missing: {p.Second}"));
            Assert.Equal(positions.Order(), positions);
            Assert.True(summary.RootElement.GetProperty("interrupted").GetBoolean());
            Assert.True(camera.GetProperty("reconciles").GetBoolean());
            Assert.True(camera.GetProperty("read").GetInt64() < 200, "the whole input was read before the signal");
            Assert.Equal(0, camera.GetProperty("queued").GetInt64());
            Assert.True(File.Exists(Path.Combine(folder, "summary.txt")));
        }
        finally
        {
            output.WriteLine(string.Join('\n', run.Lines.Where(line => !line.Contains("librdkafka", StringComparison.Ordinal)).TakeLast(60)));
        }
    }
}
