using GanStream.Pipeline.Models;
using GanStream.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanStream.Tests.Models;

/// <summary>
/// Runs every model that ships a reference pair through ONNX Runtime and compares it with the output of the
/// framework it came from (TF.js for the public generators, torch for the trained one).
/// </summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class ConvertedModelTests
{
    public static TheoryData<string> ModelsWithReference()
    {
        var data = new TheoryData<string>();
        foreach (string manifest in Directory.EnumerateFiles(TestPaths.Models, "manifest.json", SearchOption.AllDirectories).Order())
        {
            string folder = Path.GetDirectoryName(manifest)!;
            if (File.Exists(Path.Combine(folder, "reference", "output.npy")))
            {
                data.Add(Path.GetRelativePath(TestPaths.Models, folder));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsWithReference))]
    public void Run_ReferenceInput_MatchesReferenceOutput(string modelFolder)
    {
        string folder = Path.Combine(TestPaths.Models, modelFolder);
        using SuperResolutionModel model = SuperResolutionModel.Load(folder, new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu, WarmUp = false }, NullLogger.Instance);
        (float[] input, int[] inputShape) = Npy.ReadFloat32(Path.Combine(folder, "reference", "input.npy"));
        (float[] expected, int[] outputShape) = Npy.ReadFloat32(Path.Combine(folder, "reference", "output.npy"));

        using ModelOutput output = model.Run(input, inputShape[0], inputShape[2], inputShape[3]);

        Assert.Equal(outputShape[2], output.Height);
        Assert.Equal(outputShape[3], output.Width);
        ReadOnlySpan<float> actual = output.Image(0);
        Assert.Equal(expected.Length, actual.Length);
        float range = model.OutputFormat.White - model.OutputFormat.Black;
        double maxError = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            maxError = Math.Max(maxError, Math.Abs(actual[i] - expected[i]));
        }

        // 1e-2 on a 0..255 range: float32 differences between frameworks, far below one grey level.
        Assert.True(maxError < 1e-2 * range / 255, $"{model.Manifest.Id}: max abs error {maxError:G3}");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 2)]
    public void Run_BatchOfTwo_EqualsTwoSingleRuns(int maxImagesPerCall, int expectedImagesPerCall)
    {
        string folder = Path.Combine(TestPaths.Models, "esrgan-slim-x4", "1");
        var options = new InferenceOptions
        {
            ExecutionProvider = ExecutionProviderPreference.Cpu,
            WarmUp = false,
            MaxImagesPerCall = maxImagesPerCall,
        };
        using SuperResolutionModel model = SuperResolutionModel.Load(folder, options, NullLogger.Instance);
        (float[] input, int[] shape) = Npy.ReadFloat32(Path.Combine(folder, "reference", "input.npy"));
        int imageLength = input.Length;
        float[] mirrored = [.. input.Reverse()];
        float[] batch = [.. input, .. mirrored];

        using ModelOutput batched = model.Run(batch, 2, shape[2], shape[3]);
        using ModelOutput first = model.Run(input, 1, shape[2], shape[3]);
        using ModelOutput second = model.Run(mirrored, 1, shape[2], shape[3]);

        Assert.Equal(expectedImagesPerCall, model.ImagesPerCall);
        Assert.True(MaxDifference(batched.Image(0), first.Image(0)) < 1e-3);
        Assert.True(MaxDifference(batched.Image(1), second.Image(0)) < 1e-3);
        Assert.Equal(imageLength * 16, batched.Image(1).Length);
    }

    private static double MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
