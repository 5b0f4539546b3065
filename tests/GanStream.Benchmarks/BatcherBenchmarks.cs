using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using GanStream.Cloud.Batching;

namespace GanStream.Benchmarks;

/// <summary>The dynamic batcher's own cost: items already queued, drained into batches.</summary>
[MemoryDiagnoser]
public class BatcherBenchmarks
{
    private const int Items = 10_000;

    [Params(1, 4, 8)]
    public int MaxBatchSize { get; set; }

    [Benchmark(OperationsPerInvoke = Items)]
    public async Task<int> DrainQueuedItems()
    {
        Channel<int> channel = Channel.CreateBounded<int>(Items);
        for (int i = 0; i < Items; i++)
        {
            channel.Writer.TryWrite(i);
        }

        channel.Writer.Complete();
        var batcher = new DynamicBatcher<int>(channel.Reader, MaxBatchSize, TimeSpan.FromMilliseconds(1), static (_, _) => true);
        var batch = new List<int>(MaxBatchSize);
        int batches = 0;
        while (await batcher.NextBatchAsync(batch, CancellationToken.None))
        {
            batches++;
        }

        return batches;
    }
}
