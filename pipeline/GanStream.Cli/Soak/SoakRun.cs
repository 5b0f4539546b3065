using System.Diagnostics;
using Confluent.Kafka;
using GanStream.Cli.Hosting;
using GanStream.Edge;
using GanStream.Pipeline.Kafka;
using GanStream.Pipeline.Kafka.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GanStream.Cli.Soak;

/// <summary>
/// Runs the whole pipeline on an embedded cluster with the input read in a loop and faults injected at random, and
/// samples it at a fixed interval. At the end it stops the pipeline the way SIGTERM does and judges the run: the
/// counts must reconcile at every sample, every corrupt message must reach the dead-letter topic, and the resident
/// memory must stay within 5% of its size at minute 1.
/// </summary>
internal static class SoakRun
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the soak and writes its table and verdict.</summary>
    /// <param name="createSettings">Host settings for the pipeline, given the embedded cluster's bootstrap.</param>
    /// <returns>0 when the run passed, 1 when it failed.</returns>
    public static async Task<int> ExecuteAsync(
        SoakSettings soak,
        Func<KafkaBootstrap, HostSettings> createSettings,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(soak);
        ArgumentNullException.ThrowIfNull(createSettings);
        ArgumentNullException.ThrowIfNull(output);
        output = TextWriter.Synchronized(output);

        // Disposal runs in reverse: faults are cleared, then the pipeline stops, then the cluster goes.
        using EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.Start();
        await using PipelineHost host = PipelineHost.Create(createSettings(KafkaBootstrap.ForEmbedded(cluster)));
        TopicOptions topics = host.App.Services.GetRequiredService<IOptions<TopicOptions>>().Value;
        using var faults = new FaultInjector(cluster, topics, soak.Seed);

        await host.StartAsync(cancellationToken);
        await output.WriteLineAsync(
            $"soak: {soak.Duration} on {host.App.Configuration["Edge:Cameras:0:Source"]} with model " +
            $"{host.App.Configuration["Models:DefaultModel"]}; a fault every {soak.FaultInterval} (seed {soak.Seed}); " +
            $"a row every {soak.ReportInterval}; {Environment.ProcessorCount} processors");
        SoakReport.WriteHeader(output);

        var clock = Stopwatch.StartNew();
        List<SoakSample> samples = await SampleUnderLoadAsync(host, faults, soak, clock, output, cancellationToken);

        host.App.Lifetime.StopApplication();
        EdgeRunReport report = await host.RunToCompletionAsync(CancellationToken.None);
        host.ThrowIfWorkerFailed();

        var final = SoakSample.Take(clock.Elapsed, report.Cameras, "stopped");
        long deadLetters = CountMessages(cluster.BootstrapServers, topics.DeadLetter);
        bool pass = SoakReport.WriteVerdict(output, samples, final, faults, deadLetters, soak.Seed);
        return pass ? 0 : 1;
    }

    private static async Task<List<SoakSample>> SampleUnderLoadAsync(
        PipelineHost host,
        FaultInjector faults,
        SoakSettings soak,
        Stopwatch clock,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(
            cancellationToken,
            host.App.Lifetime.ApplicationStopping);
        Task faulting = InjectFaultsAsync(faults, soak.FaultInterval, clock, output, stop.Token);
        var samples = new List<SoakSample>();
        try
        {
            while (clock.Elapsed < soak.Duration && !stop.IsCancellationRequested && !host.Edge.Completion.IsCompleted)
            {
                TimeSpan remaining = soak.Duration - clock.Elapsed;
                await Task.Delay(remaining < soak.ReportInterval ? remaining : soak.ReportInterval, stop.Token);
                var sample = SoakSample.Take(clock.Elapsed, host.Edge.Snapshot(), faults.Active);
                samples.Add(sample);
                SoakReport.WriteRow(output, sample);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await output.WriteLineAsync("soak: stopped early by a signal");
        }
        finally
        {
            await stop.CancelAsync();
            await faulting;
        }

        return samples;
    }

    /// <summary>Injects one fault per interval until cancelled; each fault is cleared before this returns.</summary>
    private static async Task InjectFaultsAsync(
        FaultInjector faults,
        TimeSpan interval,
        Stopwatch clock,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval / 2, cancellationToken);
                var started = Stopwatch.StartNew();
                TimeSpan at = clock.Elapsed;
                string fault = await faults.InjectOneAsync(interval / 2, cancellationToken);
                await output.WriteLineAsync($"{at,7:hh\\:mm\\:ss}  fault: {fault}");
                TimeSpan rest = interval / 2 - started.Elapsed;
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The soak is over; the fault in effect was cleared by its own cleanup.
        }
    }

    /// <summary>Counts the messages ever written to a topic: the sum of its partitions' high watermarks.</summary>
    private static long CountMessages(string bootstrapServers, string topic)
    {
        var adminConfig = new AdminClientConfig { BootstrapServers = bootstrapServers };
        using IAdminClient admin = new AdminClientBuilder(adminConfig).Build();
        var config = new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "ganstream-soak-count" };
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        TopicMetadata? metadata = admin.GetMetadata(topic, MetadataTimeout).Topics.FirstOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.IsError)
        {
            return 0;
        }

        return metadata.Partitions
            .Select(p => new TopicPartition(topic, p.PartitionId))
            .Select(partition => consumer.QueryWatermarkOffsets(partition, MetadataTimeout).High.Value)
            .Sum();
    }
}
