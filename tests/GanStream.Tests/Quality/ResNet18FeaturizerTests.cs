using GanStream.Pipeline.Models;
using GanStream.Quality.Features;
using GanStream.Quality.Metrics;
using GanStream.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace GanStream.Tests.Quality;

/// <summary>The package's ResNet-18 run through ONNX Runtime on real frames.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
[Trait(TestCategories.Name, TestCategories.Quality)]
public sealed class ResNet18FeaturizerTests
{
    private static readonly InferenceOptions Cpu = new() { ExecutionProvider = ExecutionProviderPreference.Cpu, WarmUp = false };

    [Fact]
    public void Extract_RealFrame_Returns512PooledReluValues()
    {
        using var featurizer = new ResNet18Featurizer(ResNet18Featurizer.DefaultDirectory, Cpu, NullLogger.Instance);
        using Mat frame = TestImages.SampleFrame();

        float[] features = featurizer.Extract(frame);

        // An average of ReLU outputs is finite and never negative, and a real photograph activates many channels.
        Assert.Equal(ResNet18Featurizer.FeatureLength, features.Length);
        Assert.All(features, value => Assert.True(float.IsFinite(value) && value >= 0, $"feature {value}"));
        Assert.True(features.Count(value => value > 0) > 256, "fewer than half of the channels are active");
    }

    [Fact]
    public void Extract_SameFrameTwice_ReturnsSameFeatures()
    {
        using var featurizer = new ResNet18Featurizer(ResNet18Featurizer.DefaultDirectory, Cpu, NullLogger.Instance);
        using Mat frame = TestImages.SampleFrame(3);

        Assert.Equal(featurizer.Extract(frame), featurizer.Extract(frame));
    }

    [Fact]
    public void FrechetDistance_BlurredFrames_ExceedsRealNoiseFloor()
    {
        using var featurizer = new ResNet18Featurizer(ResNet18Featurizer.DefaultDirectory, Cpu, NullLogger.Instance);
        var real = new List<float[]>();
        var blurred = new List<float[]>();
        for (int i = 0; i < 16; i++)
        {
            using Mat frame = TestImages.SampleFrame(i * 4);
            using var smooth = new Mat();
            Cv2.GaussianBlur(frame, smooth, new Size(0, 0), 6);
            real.Add(featurizer.Extract(frame));
            blurred.Add(featurizer.Extract(smooth));
        }

        List<float[]> realOdd = real.Where((_, i) => i % 2 == 1).ToList();
        double floor = FrechetDistance.Compute(real.Where((_, i) => i % 2 == 0).ToList(), realOdd);
        double distance = FrechetDistance.Compute(blurred.Where((_, i) => i % 2 == 0).ToList(), realOdd);

        Assert.True(distance > 2 * floor, $"FD of blurred frames {distance:F3} is not above twice the floor {floor:F3}");
    }

    [Fact]
    public void Constructor_MissingFolder_ThrowsFeatureModelException()
    {
        string folder = TestPaths.CreateTemporaryFolder();

        Assert.Throws<FeatureModelException>(() => new ResNet18Featurizer(folder, Cpu, NullLogger.Instance));
    }
}
