using Microsoft.ML.OnnxRuntime;

namespace GanStream.Pipeline.Models;

/// <summary>The output tensor of one inference call; disposing it releases the native memory.</summary>
public sealed class ModelOutput : IDisposable
{
    private readonly IDisposableReadOnlyCollection<OrtValue> values;
    private readonly OrtValue tensor;

    internal ModelOutput(IDisposableReadOnlyCollection<OrtValue> values, int batchSize, int height, int width)
    {
        this.values = values;
        tensor = values[0];
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
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchSize);
        int imageLength = Height * Width * 3;
        return tensor.GetTensorDataAsSpan<float>().Slice(index * imageLength, imageLength);
    }

    public void Dispose() => values.Dispose();
}
