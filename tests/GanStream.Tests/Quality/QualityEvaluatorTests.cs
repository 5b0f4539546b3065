using GanStream.Pipeline.Models;
using GanStream.Quality.Evaluation;
using GanStream.Quality.Features;
using GanStream.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace GanStream.Tests.Quality;

[Trait(TestCategories.Name, TestCategories.Model)]
[Trait(TestCategories.Name, TestCategories.Quality)]
public sealed class QualityEvaluatorTests
{
    private static readonly InferenceOptions Cpu = new() { ExecutionProvider = ExecutionProviderPreference.Cpu, WarmUp = false };
    private static readonly EvaluatedSystem Copy = new("copy", "test");

    private static string TestInception => Path.Combine(TestPaths.QualityData, "test-inception.onnx");

    [Fact]
    public void CreateReport_IdenticalSets_ScoresPerfect()
    {
        using var evaluator = new QualityEvaluator(new QualityOptions { Inference = Cpu }, NullLogger.Instance);
        for (int i = 0; i < 8; i++)
        {
            using Mat frame = TestImages.SampleFrame(i * 5);
            evaluator.AddReference(i, frame);
            evaluator.AddCandidate(Copy, i, frame, frame);
        }

        SystemQuality quality = Assert.Single(evaluator.CreateReport().Systems);

        Assert.Equal(8, quality.Frames);
        Assert.Equal(double.PositiveInfinity, quality.MeanPsnr);
        Assert.Equal(1.0, quality.MeanSsim, 12);
        Assert.InRange(quality.FdResNet18!.Value, 0, 1e-6);
        Assert.True(quality.FdResNet18NoiseFloor > 0, "distinct frames should leave a positive noise floor");
        Assert.Equal(quality.FdResNet18NoiseFloor!.Value, quality.FdResNet18Halves!.Value, 6);
        Assert.Null(quality.InceptionScore);
        Assert.Null(quality.Fid);
    }

    [Fact]
    public void CreateReport_CandidateWithoutReference_Throws()
    {
        using var evaluator = new QualityEvaluator(new QualityOptions { Inference = Cpu }, NullLogger.Instance);
        using Mat frame = TestImages.SampleFrame();
        evaluator.AddCandidate(Copy, 1, frame, frame);

        Assert.Throws<InvalidOperationException>(() => evaluator.CreateReport());
    }

    [Fact]
    public void CreateReport_ConfidentClassifier_ScoresClassCount()
    {
        // The stand-in network classifies pure red, green and blue as classes 0, 1 and 2 with certainty, and 10
        // splits of 3 consecutive images each hold one image of every class, so IS = 3 (see make_test_inception.py).
        Scalar[] colours = [new(0, 0, 255), new(0, 255, 0), new(255, 0, 0)];
        var options = new QualityOptions { Inference = Cpu, InceptionPath = TestInception };
        using var evaluator = new QualityEvaluator(options, NullLogger.Instance);
        for (int i = 0; i < 30; i++)
        {
            using var image = new Mat(64, 64, MatType.CV_8UC3, colours[i % 3]);
            evaluator.AddReference(i, image);
            evaluator.AddCandidate(Copy, i, image, image);
        }

        QualityReport report = evaluator.CreateReport();
        SystemQuality quality = Assert.Single(report.Systems);

        Assert.True(evaluator.ComputesInceptionMetrics);
        Assert.Equal(3.0, quality.InceptionScore!.Value.Mean, 6);
        Assert.Equal(3.0, report.ReferenceInceptionScore!.Value.Mean, 6);
        Assert.InRange(quality.Fid!.Value, 0, 1e-6);
    }

    [Fact]
    public void CreateReport_UnsureTestInception_ScoresOne()
    {
        // Every image is the same mid-grey, so p(y|x) equals the split's p(y) and every KL term is 0, whatever the
        // (nearly uniform) probabilities are: IS = 1.
        var options = new QualityOptions { Inference = Cpu, InceptionPath = TestInception };
        using var evaluator = new QualityEvaluator(options, NullLogger.Instance);
        for (int i = 0; i < 10; i++)
        {
            using var grey = new Mat(32, 32, MatType.CV_8UC3, Scalar.All(128));
            evaluator.AddReference(i, grey);
            evaluator.AddCandidate(Copy, i, grey, grey);
        }

        Assert.Equal(1.0, Assert.Single(evaluator.CreateReport().Systems).InceptionScore!.Value.Mean, 9);
    }

    [Fact]
    public void InceptionV3Network_TestFile_FindsOutputs()
    {
        using var network = new InceptionV3Network(TestInception, Cpu, NullLogger.Instance);
        using var red = new Mat(10, 20, MatType.CV_8UC3, new Scalar(0, 0, 255));

        InceptionOutputs outputs = network.Extract(red);

        Assert.True(network.HasPool);
        Assert.True(network.HasLogits);
        Assert.Equal(InceptionV3Network.PoolLength, outputs.Pool!.Length);
        Assert.Equal(1008, outputs.Logits!.Length);
        Assert.Equal(40f, outputs.Logits[0], 3);
        Assert.Equal(-40f, outputs.Logits[1], 3);
    }

    [Fact]
    public void InceptionV3Network_WrongInput_Throws()
    {
        // ResNet-18 takes 224x224 inputs, so it is rejected as an Inception-v3 file.
        string resNet = Path.Combine(ResNet18Featurizer.DefaultDirectory, ResNet18Featurizer.NetworkFile);

        Assert.Throws<FeatureModelException>(() => new InceptionV3Network(resNet, Cpu, NullLogger.Instance));
    }
}
