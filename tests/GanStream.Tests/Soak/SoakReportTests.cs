using GanStream.Cli.Commands;
using GanStream.Cli.Soak;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Kafka.Embedded;
using GanStream.Tests.Support;

namespace GanStream.Tests.Soak;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class SoakReportTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1.5h", 5400)]
    [InlineData("250ms", 0.25)]
    [InlineData("00:02:00", 120)]
    public void DurationParser_ValidText_ReturnsDuration(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out TimeSpan duration));
        Assert.Equal(seconds, duration.TotalSeconds, precision: 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten minutes")]
    [InlineData("-5s")]
    public void DurationParser_InvalidText_IsRejected(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _));
    }

    [Theory]
    [InlineData(500, 524, true)]
    [InlineData(500, 530, false)]
    [InlineData(500, 400, true)]
    public void WriteVerdict_ResidentMemory_IsJudgedAgainstMinuteOne(int minuteOneMb, int endMb, bool expected)
    {
        SoakSample[] samples =
        [
            Sample(TimeSpan.FromSeconds(30), 300),
            Sample(TimeSpan.FromSeconds(60), minuteOneMb),
            Sample(TimeSpan.FromMinutes(5), endMb),
        ];
        using var faults = CreateFaults(out EmbeddedKafkaCluster cluster);
        using (cluster)
        {
            var output = new StringWriter();

            bool pass = SoakReport.WriteVerdict(
                output,
                samples,
                Sample(TimeSpan.FromMinutes(5.5), endMb),
                faults,
                deadLetters: 0,
                seed: 1);

            Assert.Equal(expected, pass);
            Assert.Contains("resident memory:", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WriteVerdict_SampleThatDoesNotReconcile_Fails()
    {
        SoakSample[] samples = [Sample(TimeSpan.FromSeconds(10), 100) with { Reconciles = false }];
        using var faults = CreateFaults(out EmbeddedKafkaCluster cluster);
        using (cluster)
        {
            var output = new StringWriter();

            bool pass = SoakReport.WriteVerdict(
                output,
                samples,
                Sample(TimeSpan.FromSeconds(20), 100),
                faults,
                deadLetters: 0,
                seed: 1);

            Assert.False(pass);
            Assert.Contains("counts reconcile:  NO", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("not judged", output.ToString(), StringComparison.Ordinal);
        }
    }

    private static SoakSample Sample(TimeSpan elapsed, long rssMegabytes) =>
        new(elapsed, 10, 1, 1, 8, 8, 0, 0, 0, 0, 0, true, rssMegabytes * 1024 * 1024, 1024, "none");

    private static FaultInjector CreateFaults(out EmbeddedKafkaCluster cluster)
    {
        cluster = EmbeddedKafkaCluster.Start();
        return new FaultInjector(cluster, new TopicOptions(), seed: 1);
    }
}
