using GanStream.Pipeline.Models;
using GanStream.Tests.Support;

namespace GanStream.Tests.Models;

/// <summary>The warm-up at load runs the input shape the worker is expected to run, and logs it.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class WarmUpTests
{
    private const int WarmedUpEvent = 3502;

    [Theory]
    [InlineData("test-fixed32-x2", "batch of 1 32x32 inputs (fixed ONNX input size)")]
    [InlineData("test-batch2-x2", "batch of 2 128x128 inputs (tile size)")]
    [InlineData("test-x2", "batch of 1 128x128 inputs (tile size)")]
    public void Load_NoSizeConfigured_UsesModelShape(string name, string expected)
    {
        var logger = new ListLogger<SuperResolutionModel>();

        string folder = Path.Combine(TestPaths.TestModels, name, "1");
        using SuperResolutionModel model = SuperResolutionModel.Load(folder, Cpu(), logger);

        string message = Assert.Single(logger.MessagesOf(WarmedUpEvent));
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Contains(model.Manifest.Id, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SizeConfigured_UsesIt()
    {
        var logger = new ListLogger<SuperResolutionModel>();
        InferenceOptions options = Cpu();
        options.WarmUpWidth = 48;
        options.WarmUpHeight = 36;

        string folder = Path.Combine(TestPaths.TestModels, "test-x2", "1");
        using SuperResolutionModel model = SuperResolutionModel.Load(folder, options, logger);

        string message = Assert.Single(logger.MessagesOf(WarmedUpEvent));
        Assert.Contains("batch of 1 48x36 inputs (Inference:WarmUpWidth/Height)", message, StringComparison.Ordinal);
        Assert.Null(model.LastInputSize);
    }

    [Fact]
    public void Load_PreviousVersionSize_UsesIt()
    {
        var logger = new ListLogger<SuperResolutionModel>();

        using SuperResolutionModel model = SuperResolutionModel.Load(
            Path.Combine(TestPaths.TestModels, "test-x2", "1"),
            Cpu(),
            logger,
            previousInputSize: (Height: 144, Width: 192));

        string message = Assert.Single(logger.MessagesOf(WarmedUpEvent));
        Assert.Contains("batch of 1 192x144 inputs (size the previous version served last)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WidthWithoutHeight_IsRejected()
    {
        var options = new InferenceOptions { WarmUpWidth = 48 };

        var exception = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("Inference:WarmUpWidth", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Inference:WarmUpHeight", exception.Message, StringComparison.Ordinal);
    }

    private static InferenceOptions Cpu() => new() { ExecutionProvider = ExecutionProviderPreference.Cpu };
}
