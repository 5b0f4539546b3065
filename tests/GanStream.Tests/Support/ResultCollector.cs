using System.Collections.Concurrent;
using Confluent.Kafka;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;

namespace GanStream.Tests.Support;

/// <summary>
/// Reads a reply topic from its start while a test runs and keeps every result, by correlation id. A live reader is
/// needed with the embedded broker, which drops a partition's oldest messages once it contains a few megabytes.
/// </summary>
public sealed class ResultCollector : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, ConcurrentQueue<SynthesisResult>> results = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly Task reading;

    public ResultCollector(string bootstrapServers, string topic)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"collector-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 10,
        };
        IConsumer<string, byte[]> consumer = new ConsumerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        reading = Task.Factory.StartNew(
            () => Read(consumer),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Every result read so far, by correlation id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SynthesisResult>> Results =>
        results.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<SynthesisResult>)[.. pair.Value]);

    /// <summary>Waits until every id in <paramref name="correlationIds"/> has a result with status OK.</summary>
    /// <exception cref="TimeoutException">Some ids have none after <paramref name="timeout"/>.</exception>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<SynthesisResult>>> WaitForOkAsync(
        IReadOnlyCollection<string> correlationIds,
        TimeSpan timeout,
        CancellationToken cancellationToken) =>
        WaitForAsync(correlationIds, r => r.Status == ResultStatus.Ok, timeout, cancellationToken);

    /// <summary>Waits until every id in <paramref name="correlationIds"/> has a result that <paramref name="accept"/> accepts.</summary>
    /// <exception cref="TimeoutException">Some ids have none after <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<SynthesisResult>>> WaitForAsync(
        IReadOnlyCollection<string> correlationIds,
        Func<SynthesisResult, bool> accept,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            int missing = correlationIds.Count(id => !results.TryGetValue(id, out var found) || !found.Any(accept));
            if (missing == 0)
            {
                return Results;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{missing} of {correlationIds.Count} requests had no matching result within {timeout}.");
            }
        }
    }

    /// <summary>Waits until a result from worker <paramref name="workerId"/> arrives.</summary>
    public async Task WaitForWorkerAsync(string workerId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (!results.Values.Any(queue => queue.Any(r => r.WorkerId == workerId)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), limit.Token);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        reading.Wait(TimeSpan.FromSeconds(30));
        stop.Dispose();
    }

    private void Read(IConsumer<string, byte[]> consumer)
    {
        using (consumer)
        {
            while (!stop.IsCancellationRequested)
            {
                ConsumeResult<string, byte[]>? record;
                try
                {
                    record = consumer.Consume(PollTimeout);
                }
                catch (ConsumeException)
                {
                    continue;
                }

                if (record?.Message?.Value is { } value)
                {
                    string id = record.Message.Headers.GetString(MessageHeaders.CorrelationId) ?? string.Empty;
                    results.GetOrAdd(id, _ => new ConcurrentQueue<SynthesisResult>()).Enqueue(SynthesisResult.Parser.ParseFrom(value));
                }
            }

            consumer.Close();
        }
    }
}
