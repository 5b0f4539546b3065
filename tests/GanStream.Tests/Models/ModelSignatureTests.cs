using GanStream.Pipeline.Models;
using GanStream.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanStream.Tests.Models;

/// <summary>
/// Input sizes, batch sizes and element types that an ONNX file fixes are checked at load and honoured at run.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class ModelSignatureTests
{
    private static readonly InferenceOptions CpuNoWarmUp = new()
    {
        ExecutionProvider = ExecutionProviderPreference.Cpu,
        WarmUp = false,
    };

    [Fact]
    public void Load_Float16Input_IsRejected()
    {
        string folder = Path.Combine(TestPaths.TestModels, "test-fp16-x2", "1");

        var exception = Assert.Throws<ModelLoadException>(
            () => SuperResolutionModel.Load(folder, CpuNoWarmUp, NullLogger.Instance));

        Assert.Contains("test-fp16-x2:1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'input.elementType'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Float16", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FixedBatchModel_ReadsBatchSize()
    {
        using SuperResolutionModel model = SuperResolutionModel.Load(
            Path.Combine(TestPaths.TestModels, "test-batch2-x2", "1"),
            CpuNoWarmUp,
            NullLogger.Instance);

        Assert.Equal(new ModelSignature(2, null, null), model.Signature);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Run_FixedBatchModel_SplitsAndPads(int batchSize)
    {
        using SuperResolutionModel model = SuperResolutionModel.Load(
            Path.Combine(TestPaths.TestModels, "test-batch2-x2", "1"),
            CpuNoWarmUp,
            NullLogger.Instance);
        const int height = 5;
        const int width = 7;
        int imageLength = height * width * 3;
        var random = new Random(batchSize);
        float[] input = [.. Enumerable.Range(0, batchSize * imageLength).Select(_ => (float)random.Next(256))];

        using ModelOutput output = model.Run(input, batchSize, height, width);

        Assert.Equal(batchSize, output.BatchSize);
        for (int image = 0; image < batchSize; image++)
        {
            ReadOnlySpan<float> values = output.Image(image);
            for (int channel = 0; channel < 3; channel++)
            {
                for (int y = 0; y < height * 2; y++)
                {
                    for (int x = 0; x < width * 2; x++)
                    {
                        float expected = input[(image * imageLength) + (((channel * height) + (y / 2)) * width) + (x / 2)];
                        float actual = values[(((channel * height * 2) + y) * width * 2) + x];
                        Assert.True(
                            expected == actual,
                            $"image {image} channel {channel} ({x}, {y}): {actual}, expected {expected}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Run_FixedSizeModelOtherSize_IsRejected()
    {
        using SuperResolutionModel model = SuperResolutionModel.Load(
            Path.Combine(TestPaths.TestModels, "test-fixed32-x2", "1"),
            CpuNoWarmUp,
            NullLogger.Instance);

        var exception = Assert.Throws<ArgumentException>(() => model.Run(new float[3 * 32 * 40], 1, 32, 40));

        Assert.Contains("32x32", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TileSizeNotFixedSize_IsRejected()
    {
        var repository = new TestModelRepository();
        string folder = repository.Add(
            TestPaths.TestModels,
            "test-fixed32-x2",
            edit: manifest => manifest["tile"]!["size"] = 64);

        var exception = Assert.Throws<ModelLoadException>(
            () => SuperResolutionModel.Load(folder, CpuNoWarmUp, NullLogger.Instance));

        Assert.Contains("test-fixed32-x2:1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'tile.size'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NhwcDeclaredNchw_IsRejected()
    {
        var repository = new TestModelRepository();
        string folder = repository.Add(
            TestPaths.TestModels,
            "test-nhwc-x2",
            edit: manifest => manifest["input"]!["layout"] = "NCHW");

        var exception = Assert.Throws<ModelLoadException>(
            () => SuperResolutionModel.Load(folder, CpuNoWarmUp, NullLogger.Instance));

        Assert.Contains("test-nhwc-x2:1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'input.layout'", exception.Message, StringComparison.Ordinal);
    }
}
