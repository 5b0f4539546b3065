using System.Text.Json;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Kafka.Embedded;
using GanStream.Schemas;
using GanStream.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace GanStream.Tests.Delivery;

/// <summary>
/// Two workers share the features topic; one, a real <c>ganstream cloud</c> process, is killed with SIGKILL while it
/// works through its partitions. Nothing it had read is lost: the other worker takes its partitions over and redoes
/// what was not committed.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Fault)]
[Trait(TestCategories.Name, TestCategories.Broker)]
public sealed class WorkerCrashTests(ITestOutputHelper output)
{
    private const int SessionTimeoutMs = 6000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Worker_KilledMidBatch_OtherMemberRedoesItsFrames()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using EmbeddedKafkaCluster cluster = KafkaTestBroker.StartFaultCluster();
        TopicOptions topics = KafkaTestBroker.UniqueTopics();
        cluster.CreateTopic(topics.Features, 4);
        cluster.CreateTopic(topics.Results, 4);
        cluster.CreateTopic(topics.DeadLetter, 4);
        string group = $"crash-{Guid.NewGuid():N}";

        using CliProcess doomed = CliProcess.Start(
            ["cloud", "--bootstrap-servers", cluster.BootstrapServers, "--config", WriteChildConfig(topics, group)]);
        try
        {
            await doomed.WaitForLineAsync("Partitions assigned", Timeout, cancellationToken);
            var logs = new RecordingLoggerProvider();
            using IDisposable dump = logs.DumpOnDispose(output);
            HostSettings settings = ServiceRunner.CreateSettings(KafkaBootstrap.ForEmbedded(cluster), topics, group);
            settings.Set("Cloud:WorkerId", "survivor");
            settings.Set(
                "Kafka:Config:session.timeout.ms",
                SessionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            settings.Set("Kafka:Config:heartbeat.interval.ms", "1000");
            await using WebApplication survivor = await ServiceRunner.StartWorkerAsync(settings, logs, cancellationToken);
            await logs.WaitForAsync(e => e.EventId == 3001, Timeout, cancellationToken);
            await doomed.WaitForLineAsync("Partitions revoked", Timeout, cancellationToken);

            using var collector = new ResultCollector(cluster.BootstrapServers, topics.Results);
            IReadOnlyList<string> ids = TopicTools.ProduceRequests(cluster.BootstrapServers, topics.Features, topics.Results, 40);
            await collector.WaitForWorkerAsync("doomed", Timeout, cancellationToken);
            doomed.KillHard();
            await doomed.WaitForExitAsync(Timeout, cancellationToken);

            IReadOnlyDictionary<string, IReadOnlyList<SynthesisResult>> results = await collector.WaitForOkAsync(
                ids,
                Timeout,
                cancellationToken);
            await survivor.StopAsync(cancellationToken);

            List<SynthesisResult> all = results.Values.SelectMany(r => r).ToList();
            int byDoomed = all.Count(r => r.WorkerId == "doomed");
            int bySurvivor = all.Count(r => r.WorkerId == "survivor");
            output.WriteLine($"{byDoomed} results from the killed worker, {bySurvivor} from the survivor, {all.Count - ids.Count} duplicates");
            Assert.True(byDoomed < ids.Count / 2, $"the killed worker finished {byDoomed} of its share before it died");
            Assert.True(byDoomed > 0);
            Assert.All(ids, id => Assert.Contains(results[id], r => r.Status == ResultStatus.Ok));
            Assert.True(logs.WithEvent(3001).Count >= 2, "the survivor was never given the killed worker's partitions");
        }
        finally
        {
            output.WriteLine(string.Join('\n', doomed.Lines.TakeLast(40)));
            output.WriteLine("end offsets: " + string.Join(", ", TopicTools.EndOffsets(cluster.BootstrapServers, topics.Features)));
            output.WriteLine("committed: " + string.Join(", ", TopicTools.Committed(cluster.BootstrapServers, group, topics.Features)));
        }
    }

    private static string WriteChildConfig(TopicOptions topics, string group)
    {
        var config = new
        {
            Topics = new { topics.Features, topics.Results, topics.DeadLetter },
            Cloud = new { GroupId = group, WorkerId = "doomed" },
            Models = new { Path = TestPaths.Models, DefaultModel = "esrgan-slim-x4" },
            Metrics = new { Urls = "http://127.0.0.1:0" },
            Kafka = new
            {
                Config = new Dictionary<string, string>
                {
                    ["session.timeout.ms"] = SessionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["heartbeat.interval.ms"] = "1000",
                },
            },
        };
        string path = Path.Combine(TestPaths.CreateTemporaryFolder(), "doomed.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }
}
