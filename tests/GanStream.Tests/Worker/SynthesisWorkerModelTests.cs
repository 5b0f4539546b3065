using GanStream.Cloud;
using GanStream.Cloud.Decoding;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Models;
using GanStream.Schemas;
using GanStream.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace GanStream.Tests.Worker;

/// <summary>
/// A running worker serves several models chosen per message, tiles frames that need it, rejects output that is not
/// finite, and switches to a new model version without a restart. Real frames from the sample clip, real broker.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Broker)]
public sealed class SynthesisWorkerModelTests(KafkaTestBroker broker, ITestOutputHelper output)
{
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Worker_TwoModels_ServesEachRequest()
    {
        var folder = new TestModelRepository();
        folder.Add(TestPaths.Models, "esrgan-slim-x2");
        folder.Add(TestPaths.Models, "esrgan-slim-x4");
        await using WorkerHarness worker = await StartAsync(folder, "esrgan-slim-x4", new InferenceOptions());
        using Mat feature = SampleFeature(96, 72);

        string byName = await worker.SendAsync(feature, "esrgan-slim-x2", Cancellation);
        string byDefault = await worker.SendAsync(feature, string.Empty, Cancellation);
        string byVersion = await worker.SendAsync(feature, "esrgan-slim-x4:1", Cancellation);

        AssertSynthesized(worker.WaitForResult(byName, ResultTimeout), "esrgan-slim-x2", 192, 144);
        AssertSynthesized(worker.WaitForResult(byDefault, ResultTimeout), "esrgan-slim-x4", 384, 288);
        AssertSynthesized(worker.WaitForResult(byVersion, ResultTimeout), "esrgan-slim-x4", 384, 288);
    }

    [Fact]
    public async Task Worker_NaNOutput_RejectedOthersServed()
    {
        var folder = new TestModelRepository();
        folder.Add(TestPaths.TestModels, "test-nan-x2");
        folder.Add(TestPaths.Models, "esrgan-slim-x4");
        await using WorkerHarness worker = await StartAsync(folder, "esrgan-slim-x4", new InferenceOptions());
        using Mat feature = SampleFeature(96, 72);
        double rejectedBefore = CloudMetrics.DeadLetters.WithLabels(RejectionReason.InvalidModelOutput).Value;

        string firstNan = await worker.SendAsync(feature, "test-nan-x2", Cancellation);
        string firstGood = await worker.SendAsync(feature, "esrgan-slim-x4", Cancellation);
        string secondNan = await worker.SendAsync(feature, "test-nan-x2", Cancellation);
        string secondGood = await worker.SendAsync(feature, string.Empty, Cancellation);

        AssertRejected(worker.WaitForResult(firstNan, ResultTimeout), RejectionReason.InvalidModelOutput);
        AssertRejected(worker.WaitForResult(secondNan, ResultTimeout), RejectionReason.InvalidModelOutput);
        AssertSynthesized(worker.WaitForResult(firstGood, ResultTimeout), "esrgan-slim-x4", 384, 288);
        AssertSynthesized(worker.WaitForResult(secondGood, ResultTimeout), "esrgan-slim-x4", 384, 288);
        double rejected = CloudMetrics.DeadLetters.WithLabels(RejectionReason.InvalidModelOutput).Value - rejectedBefore;
        Assert.True(rejected >= 2, $"{rejected} invalid-model-output dead letters counted, expected at least 2");
    }

    [Fact]
    public async Task Worker_FixedSizeModel_TilesOtherSizes()
    {
        var folder = new TestModelRepository();
        folder.Add(TestPaths.TestModels, "test-fixed32-x2");
        await using WorkerHarness worker = await StartAsync(folder, "test-fixed32-x2", new InferenceOptions());
        using Mat large = SampleFeature(100, 75);
        using Mat exact = SampleFeature(32, 32);

        string tiledId = await worker.SendAsync(large, string.Empty, Cancellation);
        string wholeId = await worker.SendAsync(exact, string.Empty, Cancellation);
        SynthesisResult tiled = worker.WaitForResult(tiledId, ResultTimeout);
        SynthesisResult whole = worker.WaitForResult(wholeId, ResultTimeout);

        AssertSynthesized(tiled, "test-fixed32-x2", 200, 150);
        AssertSynthesized(whole, "test-fixed32-x2", 64, 64);
        double difference = MeanDifferenceFromNearestUpscale(large, tiled);
        output.WriteLine($"Tiled 100x75 frame: mean abs difference {difference:F2} from the nearest-neighbour upscale");
        Assert.InRange(difference, 0, 3);
    }

    [Fact]
    public async Task Worker_LargeFrame_TiledNextToBatched()
    {
        var folder = new TestModelRepository();
        folder.Add(TestPaths.Models, "esrgan-slim-x4");
        var inference = new InferenceOptions { MaxUntiledPixels = 100 * 100 };
        await using WorkerHarness worker = await StartAsync(folder, "esrgan-slim-x4", inference);
        using Mat large = SampleFeature(192, 144);
        using Mat small = SampleFeature(96, 72);

        string smallFirst = await worker.SendAsync(small, string.Empty, Cancellation);
        string largeId = await worker.SendAsync(large, string.Empty, Cancellation);
        string smallSecond = await worker.SendAsync(small, string.Empty, Cancellation);

        AssertSynthesized(worker.WaitForResult(smallFirst, ResultTimeout), "esrgan-slim-x4", 384, 288);
        SynthesisResult largeResult = worker.WaitForResult(largeId, ResultTimeout);
        AssertSynthesized(largeResult, "esrgan-slim-x4", 768, 576);
        AssertSynthesized(worker.WaitForResult(smallSecond, ResultTimeout), "esrgan-slim-x4", 384, 288);
        Assert.Equal(1u, largeResult.Timings.BatchSize);
    }

    [Fact]
    public async Task Worker_NewVersion_ServedWithoutRestart()
    {
        var folder = new TestModelRepository();
        folder.Add(TestPaths.TestModels, "test-x2", 1);
        await using WorkerHarness worker = await StartAsync(
            folder,
            "test-x2",
            new InferenceOptions(),
            reloadInterval: TimeSpan.FromMilliseconds(200));
        using Mat feature = SampleFeature(48, 36);
        string firstId = await worker.SendAsync(feature, string.Empty, Cancellation);
        SynthesisResult first = worker.WaitForResult(firstId, ResultTimeout);

        folder.Add(TestPaths.TestModels, "test-x2", 2);
        var versions = new List<string>();
        DateTime deadline = DateTime.UtcNow + ResultTimeout;
        while (!versions.Contains("2") && DateTime.UtcNow < deadline)
        {
            string nextId = await worker.SendAsync(feature, string.Empty, Cancellation);
            SynthesisResult next = worker.WaitForResult(nextId, ResultTimeout);
            AssertSynthesized(next, "test-x2", 96, 72);
            versions.Add(next.ModelVersion);
            await Task.Delay(100, Cancellation);
        }

        output.WriteLine($"Versions served after the new one was dropped: {string.Join(", ", versions)}");
        AssertSynthesized(first, "test-x2", 96, 72);
        Assert.Equal("1", first.ModelVersion);
        Assert.Contains("2", versions);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private async Task<WorkerHarness> StartAsync(
        TestModelRepository folder,
        string defaultModel,
        InferenceOptions inference,
        TimeSpan? reloadInterval = null)
    {
        output.WriteLine($"Running against {broker.Description}");
        inference.ExecutionProvider = ExecutionProviderPreference.Cpu;
        var repository = new ModelRepository(
            new ModelRepositoryOptions
            {
                Path = folder.Root,
                DefaultModel = defaultModel,
                ReloadInterval = reloadInterval ?? TimeSpan.Zero,
            },
            inference,
            NullLogger<ModelRepository>.Instance);
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await WorkerHarness.StartAsync(broker, repository, startTimeout.Token);
    }

    /// <summary>
    /// Frame 5 of the sample clip reduced to <paramref name="width"/> x <paramref name="height"/>, as an edge sends it.
    /// </summary>
    private static Mat SampleFeature(int width, int height)
    {
        using Mat frame = TestImages.SampleFrame(5);
        var feature = new Mat();
        Cv2.Resize(frame, feature, new Size(width, height), 0, 0, InterpolationFlags.Area);
        return feature;
    }

    private static double MeanDifferenceFromNearestUpscale(Mat feature, SynthesisResult result)
    {
        // Both sides go through JPEG, so they differ by compression noise only.
        using Mat sent = Cv2.ImDecode(ImageCodec.Encode(feature, ImageEncoding.Jpeg, 95), ImreadModes.Color);
        using var expected = new Mat();
        Cv2.Resize(sent, expected, new Size(feature.Width * 2, feature.Height * 2), 0, 0, InterpolationFlags.Nearest);
        using Mat actual = Cv2.ImDecode(result.Payload.ToByteArray(), ImreadModes.Color);
        using var difference = new Mat();
        Cv2.Absdiff(expected, actual, difference);
        return Cv2.Mean(difference.Reshape(1)).Val0;
    }

    private static void AssertSynthesized(SynthesisResult result, string model, uint width, uint height)
    {
        Assert.True(result.Status == ResultStatus.Ok, $"status {result.Status}, reason '{result.ErrorReason}'");
        Assert.Equal(model, result.ModelName);
        Assert.Equal(width, result.Width);
        Assert.Equal(height, result.Height);
        Assert.False(result.Payload.IsEmpty);
    }

    private static void AssertRejected(SynthesisResult result, string reason)
    {
        Assert.Equal(ResultStatus.Rejected, result.Status);
        Assert.Equal(reason, result.ErrorReason);
    }
}
