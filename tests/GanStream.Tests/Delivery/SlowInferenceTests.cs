using GanStream.Cli.Hosting;
using GanStream.Pipeline.Kafka;
using GanStream.Schemas;
using GanStream.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace GanStream.Tests.Delivery;

/// <summary>
/// Inference that takes longer than the consumer's poll interval: the worker keeps polling with its partitions paused,
/// so the group keeps it and no frame is redone.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Fault)]
[Trait(TestCategories.Name, TestCategories.Broker)]
public sealed class SlowInferenceTests(KafkaTestBroker broker, ITestOutputHelper output)
{
    private const int MaxPollIntervalMs = 3000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Worker_InferenceLongerThanPollInterval_StaysInGroupAndRepliesOnce()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        output.WriteLine($"Running against {broker.Description}");
        TopicOptions topics = KafkaTestBroker.UniqueTopics();
        string group = $"slow-{Guid.NewGuid():N}";
        HostSettings settings = ServiceRunner.CreateSettings(broker.CreateBootstrap(), topics, group);

        // A slow model: the medium generator on frames four times the usual size, in batches of four.
        settings.Set("Models:DefaultModel", "esrgan-medium-x4");
        settings.Set("Cloud:MaxBatchSize", 4);
        settings.Set("Cloud:MaxBatchDelay", "00:00:01");
        settings.Set("Cloud:InboundQueueCapacity", 1);
        settings.Set("Cloud:ReadyQueueCapacity", 1);
        settings.Set("Cloud:OutputQueueCapacity", 1);
        settings.Set(
            "Kafka:Config:max.poll.interval.ms",
            MaxPollIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        settings.Set("Kafka:Config:session.timeout.ms", MaxPollIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        settings.Set("Kafka:Config:heartbeat.interval.ms", "500");
        var logs = new RecordingLoggerProvider();
        using IDisposable dump = logs.DumpOnDispose(output);

        await using WebApplication worker = await ServiceRunner.StartWorkerAsync(settings, logs, cancellationToken);
        await logs.WaitForAsync(e => e.EventId == 3001, Timeout, cancellationToken);
        using var collector = new ResultCollector(broker.BootstrapServers, topics.Results);
        IReadOnlyList<string> ids = TopicTools.ProduceRequests(
            broker.BootstrapServers,
            topics.Features,
            topics.Results,
            12,
            cameras: 1,
            width: 384,
            height: 288);
        IReadOnlyDictionary<string, IReadOnlyList<SynthesisResult>> results = await collector.WaitForOkAsync(
            ids,
            Timeout,
            cancellationToken);
        await worker.StopAsync(cancellationToken);

        double longestBatchMs = results.Values.SelectMany(r => r).Max(r => r.Timings.InferenceMs);
        output.WriteLine($"Longest inference call: {longestBatchMs:F0} ms; max.poll.interval.ms {MaxPollIntervalMs}");
        Assert.SkipWhen(
            longestBatchMs <= MaxPollIntervalMs,
            $"Inference took only {longestBatchMs:F0} ms here, within the poll interval, so the test proves nothing on this machine.");

        // Until shutdown starts, the worker is never asked to give up its partitions, nor loses them.
        List<LogEntry> beforeShutdown = logs.Entries.TakeWhile(e => e.EventId != 3202).ToList();
        Assert.All(ids, id => Assert.Single(results[id]));
        Assert.Single(beforeShutdown, e => e.EventId == 3001);
        Assert.DoesNotContain(beforeShutdown, e => e.EventId is 3002 or 3200);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("MAXPOLL", StringComparison.Ordinal));
        Assert.Contains(beforeShutdown, e => e.EventId == 3009);
    }
}
