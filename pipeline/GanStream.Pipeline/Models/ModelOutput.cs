using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace GanStream.Pipeline.Models;

/// <summary>
/// The output images of one batch: the tensors of one or more inference calls, or a pooled buffer that tiled
/// inference blended. Disposing it releases the native memory or returns the buffer.
/// </summary>
public sealed class ModelOutput : IDisposable
{
    private readonly IReadOnlyList<IDisposableReadOnlyCollection<OrtValue>> runs;
    private readonly int imagesPerRun;
    private readonly float[]? pooled;
    private int disposed;

    internal ModelOutput(IDisposableReadOnlyCollection<OrtValue> values, int batchSize, int height, int width)
        : this([values], batchSize, batchSize, height, width)
    {
    }

    /// <summary>Wraps the outputs of several calls, each holding <paramref name="imagesPerRun"/> images.</summary>
    /// <remarks>The last call may hold padding images after the first <paramref name="batchSize"/>.</remarks>
    internal ModelOutput(
        IReadOnlyList<IDisposableReadOnlyCollection<OrtValue>> runs,
        int imagesPerRun,
        int batchSize,
        int height,
        int width)
    {
        this.runs = runs;
        this.imagesPerRun = imagesPerRun;
        BatchSize = batchSize;
        Height = height;
        Width = width;
    }

    /// <summary>Takes ownership of a buffer rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    internal ModelOutput(float[] pooledValues, int batchSize, int height, int width)
    {
        runs = [];
        imagesPerRun = batchSize;
        pooled = pooledValues;
        BatchSize = batchSize;
        Height = height;
        Width = width;
    }

    public int BatchSize { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>The values of image <paramref name="index"/> of the batch, in the model's output format.</summary>
    public ReadOnlySpan<float> Image(int index)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchSize);
        int imageLength = Height * Width * 3;
        if (pooled is not null)
        {
            return pooled.AsSpan(index * imageLength, imageLength);
        }

        OrtValue tensor = runs[index / imagesPerRun][0];
        return tensor.GetTensorDataAsSpan<float>().Slice(index % imagesPerRun * imageLength, imageLength);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        foreach (IDisposableReadOnlyCollection<OrtValue> values in runs)
        {
            values.Dispose();
        }

        if (pooled is not null)
        {
            ArrayPool<float>.Shared.Return(pooled);
        }
    }
}
