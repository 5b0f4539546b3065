using Confluent.Kafka;
using GanStream.Cli.Hosting;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Kafka.Embedded;
using GanStream.Schemas;
using GanStream.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace GanStream.Tests.Delivery;

/// <summary>
/// When offsets are committed: only after the reply is acknowledged, and when partitions are revoked, also when that
/// commit fails.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Fault)]
[Trait(TestCategories.Name, TestCategories.Broker)]
public sealed class OffsetCommitTests(ITestOutputHelper output)
{
    private const short ProduceApiKey = 0;
    private const short OffsetCommitApiKey = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Worker_RepliesNeverAcknowledged_CommitsNothingAndNextMemberRedoes()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using EmbeddedKafkaCluster cluster = KafkaTestBroker.StartFaultCluster();
        TopicOptions topics = CreateTopics(cluster);
        string group = $"ack-{Guid.NewGuid():N}";
        IReadOnlyList<string> ids = TopicTools.ProduceRequests(cluster.BootstrapServers, topics.Features, topics.Results, 8);

        // From now on every Produce request fails for good, so no reply of the first worker is acknowledged.
        cluster.PushRequestErrors(ProduceApiKey, [.. Enumerable.Repeat(ErrorCode.TopicAuthorizationFailed, 2000)]);
        var firstLogs = new RecordingLoggerProvider();
        using (firstLogs.DumpOnDispose(output))
        {
            HostSettings settings = Settings(cluster, topics, group, "first", automaticCommits: true);
            await using (WebApplication first = await ServiceRunner.StartWorkerAsync(settings, firstLogs, cancellationToken))
            {
                await firstLogs.WaitForAsync(e => e.EventId == 3004, Timeout, cancellationToken);

                // Long enough for several automatic commits (one a second), which must find nothing stored.
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                Assert.All(
                    TopicTools.Committed(cluster.BootstrapServers, group, topics.Features).Values,
                    offset => Assert.True(offset < 0, $"committed {offset}"));
                await first.StopAsync(cancellationToken);
            }
        }

        Assert.All(
            TopicTools.Committed(cluster.BootstrapServers, group, topics.Features).Values,
            offset => Assert.True(offset < 0, $"committed {offset}"));
        Assert.Empty(TopicTools.ReadAll(cluster.BootstrapServers, topics.Results));

        cluster.ClearRequestErrors(ProduceApiKey);
        var secondLogs = new RecordingLoggerProvider();
        using (secondLogs.DumpOnDispose(output))
        {
            using var collector = new ResultCollector(cluster.BootstrapServers, topics.Results);
            await using WebApplication second = await ServiceRunner.StartWorkerAsync(
                Settings(cluster, topics, group, "second"),
                secondLogs,
                cancellationToken);
            IReadOnlyDictionary<string, IReadOnlyList<SynthesisResult>> results = await collector.WaitForOkAsync(
                ids,
                Timeout,
                cancellationToken);
            await second.StopAsync(cancellationToken);

            Assert.All(ids, id => Assert.Equal("second", Assert.Single(results[id]).WorkerId));
        }

        Assert.Equal(
            TopicTools.EndOffsets(cluster.BootstrapServers, topics.Features).Where(p => p.Value > 0),
            TopicTools.Committed(cluster.BootstrapServers, group, topics.Features).Where(p => p.Value > 0));
    }

    [Fact]
    public async Task Worker_PartitionsRevoked_CommitsFinishedOffsetsAtRevocation()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using EmbeddedKafkaCluster cluster = KafkaTestBroker.StartFaultCluster();
        TopicOptions topics = CreateTopics(cluster);
        string group = $"revoke-{Guid.NewGuid():N}";
        IReadOnlyList<string> ids = TopicTools.ProduceRequests(cluster.BootstrapServers, topics.Features, topics.Results, 16);
        var logs = new RecordingLoggerProvider();
        using IDisposable dump = logs.DumpOnDispose(output);
        using var collector = new ResultCollector(cluster.BootstrapServers, topics.Results);

        await using WebApplication first = await ServiceRunner.StartWorkerAsync(
            Settings(cluster, topics, group, "first"),
            logs,
            cancellationToken);
        await collector.WaitForOkAsync(ids, Timeout, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        Dictionary<int, long> beforeRebalance = TopicTools.Committed(cluster.BootstrapServers, group, topics.Features);

        await using WebApplication second = await ServiceRunner.StartWorkerAsync(
            Settings(cluster, topics, group, "second"),
            logs,
            cancellationToken);
        await logs.WaitForAsync(
            e => e.EventId == 3201 && e.Message.Contains("(revocation)", StringComparison.Ordinal),
            Timeout,
            cancellationToken);
        Dictionary<int, long> afterRebalance = TopicTools.Committed(cluster.BootstrapServers, group, topics.Features);

        // Automatic commits are off in this test, so the revocation handler is the only thing that commits.
        Assert.All(beforeRebalance.Values, offset => Assert.True(offset < 0, $"committed {offset} before the rebalance"));
        Assert.Equal(
            TopicTools.EndOffsets(cluster.BootstrapServers, topics.Features).Where(p => p.Value > 0),
            afterRebalance.Where(p => p.Value > 0));
    }

    [Fact]
    public async Task Worker_CommitFailsAtRevocation_KeepsRunningAndFramesAreRedone()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using EmbeddedKafkaCluster cluster = KafkaTestBroker.StartFaultCluster();
        TopicOptions topics = CreateTopics(cluster);
        string group = $"commit-error-{Guid.NewGuid():N}";
        IReadOnlyList<string> early = TopicTools.ProduceRequests(cluster.BootstrapServers, topics.Features, topics.Results, 16);
        var logs = new RecordingLoggerProvider();
        using IDisposable dump = logs.DumpOnDispose(output);
        using var collector = new ResultCollector(cluster.BootstrapServers, topics.Results);

        await using WebApplication first = await ServiceRunner.StartWorkerAsync(
            Settings(cluster, topics, group, "first"),
            logs,
            cancellationToken);
        await collector.WaitForOkAsync(early, Timeout, cancellationToken);
        cluster.PushRequestErrors(OffsetCommitApiKey, [.. Enumerable.Repeat(ErrorCode.IllegalGeneration, 20)]);

        await using WebApplication second = await ServiceRunner.StartWorkerAsync(
            Settings(cluster, topics, group, "second"),
            logs,
            cancellationToken);
        LogEntry failed = await logs.WaitForAsync(
            e => e.EventId == 3007 && e.Message.Contains("(revocation)", StringComparison.Ordinal),
            Timeout,
            cancellationToken);
        cluster.ClearRequestErrors(OffsetCommitApiKey);
        IReadOnlyList<string> late = TopicTools.ProduceRequests(cluster.BootstrapServers, topics.Features, topics.Results, 16);
        IReadOnlyDictionary<string, IReadOnlyList<SynthesisResult>> results = await collector.WaitForOkAsync(
            late,
            Timeout,
            cancellationToken);

        Assert.Contains("IllegalGeneration", failed.Message, StringComparison.Ordinal);
        Assert.False(first.Worker().ExecuteTask!.IsCompleted, "the first worker stopped after the failed commit");
        Assert.False(second.Worker().ExecuteTask!.IsCompleted, "the second worker stopped");
        Assert.All(late, id => Assert.Contains(results[id], r => r.Status == ResultStatus.Ok));
    }

    private static TopicOptions CreateTopics(EmbeddedKafkaCluster cluster)
    {
        TopicOptions topics = KafkaTestBroker.UniqueTopics();
        cluster.CreateTopic(topics.Features, 4);
        cluster.CreateTopic(topics.Results, 4);
        cluster.CreateTopic(topics.DeadLetter, 4);
        return topics;
    }

    /// <param name="automaticCommits">
    /// False leaves only the commits the worker requests, on revocation and at close, so a test can tell them apart.
    /// </param>
    private static HostSettings Settings(
        EmbeddedKafkaCluster cluster,
        TopicOptions topics,
        string group,
        string workerId,
        bool automaticCommits = false)
    {
        HostSettings settings = ServiceRunner.CreateSettings(KafkaBootstrap.ForEmbedded(cluster), topics, group);
        settings.Set("Cloud:WorkerId", workerId);

        // With the default session timeout of 45 seconds, each rebalance in these tests took about that long on the
        // embedded broker, so a shorter one keeps them quick.
        settings.Set("Kafka:Config:session.timeout.ms", "10000");
        settings.Set("Kafka:Config:heartbeat.interval.ms", "2000");
        if (!automaticCommits)
        {
            settings.Set("Kafka:Config:auto.commit.interval.ms", "3600000");
        }

        return settings;
    }
}
