using GanStream.Cli.Bench;
using GanStream.Edge.Accounting;
using GanStream.Edge.Output;
using GanStream.Edge.Publishing;
using GanStream.Schemas;
using GanStream.Tests.Support;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanStream.Tests.Bench;

/// <summary>The edge's frame log as the bench reads it: records, camera totals, saved images and a full queue.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class BenchFrameLogTests : IDisposable
{
    private readonly string folder = TestPaths.CreateTemporaryFolder();

    [Fact]
    public async Task FrameLog_TwoResults_ReadBackWithTotals()
    {
        var account = new CameraAccount("bench-log-cam");
        account.FrameRead();
        account.FrameSent(1000);
        account.FrameRead();
        account.FrameSent(3000);
        account.FrameSynthesized(TimeSpan.FromMilliseconds(100));
        account.FrameSynthesized(TimeSpan.FromMilliseconds(200));
        var options = new FrameLogOptions
        {
            Path = Path.Combine(folder, "frames.jsonl"),
            ImageDirectory = Path.Combine(folder, "images"),
        };

        await using (var writer = new FrameLogWriter(options, NullLogger.Instance))
        {
            writer.OnResult(Pending(account, 7), Result(inferenceMs: 80, batchSize: 2), TimeSpan.FromMilliseconds(100));
            writer.OnResult(Pending(account, 9), Result(inferenceMs: 150, batchSize: 1), TimeSpan.FromMilliseconds(200));
        }

        (IReadOnlyList<FrameRecord> frames, IReadOnlyList<CameraTotals> cameras) = FrameLogReader.Read(options.Path);
        Assert.Equal([7UL, 9UL], frames.Select(f => f.Sequence));
        Assert.Equal(100, frames[0].LatencyMs, precision: 3);
        Assert.Equal(80, frames[0].InferenceMs, precision: 3);
        Assert.Equal(20, frames[0].OverheadMs, precision: 3);
        Assert.Equal(2, frames[0].BatchSize);
        Assert.Equal(4.5, frames[0].QueueMs, precision: 3);
        Assert.Equal("esrgan-test", frames[0].Model);
        Assert.Equal(3, frames[0].ResultBytes);
        Assert.Equal(Path.Combine("bench-log-cam", "00000007.jpg"), frames[0].Image);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(options.ImageDirectory, frames[0].Image!)));
        CameraTotals totals = Assert.Single(cameras);
        Assert.Equal(2, totals.FramesSent);
        Assert.Equal(4000, totals.FeatureBytesSent);
        Assert.Equal(2, totals.FramesSynthesized);
        Assert.Equal(0, totals.RecordsDropped);
        Assert.Equal(2, FrameLogReader.CountFrames(options.Path));
    }

    [Fact]
    public void FrameLogOptions_ImagesWithoutPath_AreRejected()
    {
        var options = new FrameLogOptions { ImageDirectory = folder };

        var exception = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("Edge:FrameLog:Path", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameLogReader_InvalidLine_NamesTheLine()
    {
        string path = Path.Combine(folder, "broken.jsonl");
        File.WriteAllLines(path, ["{\"record\":\"camera\",\"camera\":\"a\"}"]);

        var exception = Assert.Throws<InvalidDataException>(() => FrameLogReader.Read(path));
        Assert.Contains("line 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameLogReader_MissingFile_ReadsAsEmpty()
    {
        (IReadOnlyList<FrameRecord> frames, IReadOnlyList<CameraTotals> cameras) = FrameLogReader.Read(Path.Combine(folder, "none.jsonl"));

        Assert.Empty(frames);
        Assert.Empty(cameras);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static PendingFrame Pending(CameraAccount account, ulong sequence) =>
        new(Guid.NewGuid().ToString("N"), account, sequence, System.Diagnostics.Stopwatch.GetTimestamp(), null, new SemaphoreSlim(1));

    private static SynthesisResult Result(double inferenceMs, uint batchSize) => new()
    {
        SchemaVersion = SchemaVersions.SynthesisResult,
        CameraId = "bench-log-cam",
        ModelName = "esrgan-test",
        ModelVersion = "1",
        Encoding = ImageEncoding.Jpeg,
        Width = 8,
        Height = 8,
        Payload = ByteString.CopyFrom(1, 2, 3),
        Status = ResultStatus.Ok,
        ExecutionProvider = "CPUExecutionProvider",
        WorkerId = "worker-1",
        Timings = new StageTimings
        {
            QueueMs = 4.5,
            DecodeMs = 1,
            BatchWaitMs = 2,
            InferenceMs = inferenceMs,
            EncodeMs = 3,
            BatchSize = batchSize,
        },
    };
}
