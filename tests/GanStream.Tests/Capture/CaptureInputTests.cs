using GanStream.Edge;
using GanStream.Edge.Accounting;
using GanStream.Edge.Capture;
using GanStream.Tests.Support;
using OpenCvSharp;

namespace GanStream.Tests.Capture;

/// <summary>Bad and unusual camera input read by the capture loop: every case ends in a counted, logged outcome.</summary>
[Trait(TestCategories.Name, TestCategories.Video)]
public sealed class CaptureInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void Open_ZeroByteFile_FailsWithEmptyFileMessage()
    {
        string path = Path.Combine(TestPaths.CreateTemporaryFolder(), "empty.avi");
        File.WriteAllBytes(path, []);

        var exception = Assert.Throws<CameraSourceException>(() => FrameSourceFactory.Open(CameraSourceSpec.Parse(path), new EdgeOptions()));

        Assert.Contains("empty (0 bytes)", exception.Message, StringComparison.Ordinal);
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileThatIsNotVideo_FailsWithNoReadableVideo()
    {
        string path = Path.Combine(TestPaths.CreateTemporaryFolder(), "notes.avi");
        File.WriteAllText(path, "This is a text file, not a video.\n");

        var exception = Assert.Throws<CameraSourceException>(() => FrameSourceFactory.Open(CameraSourceSpec.Parse(path), new EdgeOptions()));

        Assert.Contains("no readable video", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureLoop_TruncatedVideo_ReadsWhatIsThereAndReportsTruncation()
    {
        // The first 40% of the clip's bytes: the frames are there, the index at the end of the AVI is not.
        byte[] clip = await File.ReadAllBytesAsync(TestPaths.SampleClip, TestContext.Current.CancellationToken);
        string path = Path.Combine(TestPaths.CreateTemporaryFolder(), "truncated.avi");
        await File.WriteAllBytesAsync(path, clip[..(clip.Length * 4 / 10)], TestContext.Current.CancellationToken);
        await using var harness = new CaptureHarness(new CameraOptions { Id = "cut", Source = path }, new EdgeOptions());

        harness.Start(harness.OpenCamera(), live: false);
        await harness.WaitForEndAsync(Timeout);

        CameraSnapshot snapshot = harness.Account.Snapshot();
        LogEntry truncated = Assert.Single(harness.Logs.WithEvent(1106));
        Assert.InRange(snapshot.Read, 1, 199);
        Assert.Contains("Camera cut", truncated.Message, StringComparison.Ordinal);
        Assert.Contains($"after frame {snapshot.Read - 1}", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("of the 200 frames", truncated.Message, StringComparison.Ordinal);
        Assert.Null(harness.Loop.FailureReason);
        Assert.True(snapshot.Reconciles);
    }

    [Fact]
    public async Task CaptureLoop_VideoWithCorruptFrames_ReadsEveryFrame()
    {
        string path = Path.Combine(TestPaths.OpenCvSamples, "Megamind_bugy.avi");
        Assert.SkipUnless(File.Exists(path), $"{path} is missing; install Debian's opencv-doc (ops/install-deps.sh --test).");
        await using var harness = new CaptureHarness(new CameraOptions { Id = "bugy", Source = path }, new EdgeOptions());

        harness.Start(harness.OpenCamera(), live: false);
        await harness.WaitForEndAsync(Timeout);

        // FFmpeg conceals the damaged macroblocks, so the frames decode, with artefacts, and none is lost.
        CameraSnapshot snapshot = harness.Account.Snapshot();
        Assert.Equal(270, snapshot.Read);
        Assert.Equal(270, harness.Frames.Count);
        Assert.Empty(harness.Logs.WithEvent(1106));
        Assert.True(snapshot.Reconciles);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(641, 481)]
    public async Task CaptureLoop_OddAndTinySizes_AreQueuedAtTheirSize(int width, int height)
    {
        // OpenCV's video writer rounds odd sizes down to even ones, so the frames come from an MJPEG camera instead.
        await using var server = MjpegTestServer.Create(
            frameCount: 5,
            frameInterval: TimeSpan.FromMilliseconds(40),
            transform: frame => frame.Resize(new Size(width, height), 0, 0, InterpolationFlags.Area));
        server.Start();
        await using var harness = new CaptureHarness(new CameraOptions { Id = "odd", Source = server.Url }, new EdgeOptions());

        harness.Start(harness.OpenCamera(), live: true);
        await harness.WaitForFramesAsync(5, Timeout);
        await harness.DisposeAsync();

        Assert.All(harness.Frames, f => Assert.Equal((width, height), (f.Width, f.Height)));
        Assert.True(harness.Account.Snapshot().Reconciles);
    }

    [Fact]
    public async Task CaptureLoop_GrayBgraAnd16BitFrames_AreConvertedCountedAndLogged()
    {
        Mat[] images =
        [
            new Mat(48, 64, MatType.CV_8UC1, Scalar.All(100)),
            new Mat(48, 64, MatType.CV_8UC4, new Scalar(10, 20, 30, 255)),
            new Mat(48, 64, MatType.CV_16UC1, Scalar.All(40000)),
            new Mat(48, 64, MatType.CV_16UC3, Scalar.All(65535)),
            new Mat(48, 64, MatType.CV_8UC3, Scalar.All(7)),
        ];
        await using var harness = new CaptureHarness(
            new CameraOptions { Id = "formats", Source = "http://127.0.0.1:9/unused" },
            new EdgeOptions());

        harness.Start(new ScriptedFrameSource(images), live: false);
        await harness.WaitForFramesAsync(5, Timeout);
        await harness.DisposeAsync();

        string[] formats = harness.Logs.WithEvent(1014).Select(e => e.Message).ToArray();
        Assert.Equal(4, formats.Length);
        Assert.Contains(formats, m => m.Contains("frame 0 arrived as gray-8bit", StringComparison.Ordinal));
        Assert.Contains(formats, m => m.Contains("frame 1 arrived as bgra-8bit", StringComparison.Ordinal));
        Assert.Contains(formats, m => m.Contains("frame 2 arrived as gray-16bit", StringComparison.Ordinal));
        Assert.Contains(formats, m => m.Contains("frame 3 arrived as bgr-16bit", StringComparison.Ordinal));
        Assert.All(formats, m => Assert.Contains("Camera formats", m, StringComparison.Ordinal));
        Assert.Equal(5, harness.Frames.Count);
        Assert.True(harness.Account.Snapshot().Reconciles);
    }

    [Fact]
    public async Task CaptureLoop_FrameOverConfiguredLimit_IsDroppedAndLogged()
    {
        Mat[] images = [new Mat(600, 800, MatType.CV_8UC3, Scalar.All(1)), new Mat(480, 640, MatType.CV_8UC3, Scalar.All(2))];
        var options = new EdgeOptions { Capture = new CaptureOptions { MaxFrameWidth = 640, MaxFrameHeight = 480 } };
        await using var harness = new CaptureHarness(
            new CameraOptions { Id = "limits", Source = "http://127.0.0.1:9/unused" },
            options);

        harness.Start(new ScriptedFrameSource(images), live: false);
        await harness.WaitForFramesAsync(1, Timeout);
        await harness.DisposeAsync();

        CameraSnapshot snapshot = harness.Account.Snapshot();
        LogEntry dropped = Assert.Single(harness.Logs.WithEvent(1003));
        Assert.Equal(1, snapshot.Dropped["frame-too-large"]);
        Assert.Contains("Camera limits frame 0", dropped.Message, StringComparison.Ordinal);
        Assert.Contains("800x600", dropped.Message, StringComparison.Ordinal);
        Assert.Equal((640, 480), (harness.Frames[0].Width, harness.Frames[0].Height));
        Assert.True(snapshot.Reconciles);
    }

    [Fact]
    public async Task CaptureLoop_LoopedFile_ReadsPastItsEndWithAdvancingTime()
    {
        string path = WriteVideo(64, 48, frames: 4);
        await using var harness = new CaptureHarness(
            new CameraOptions { Id = "loop", Source = path, Loop = true, MaxFrames = 10 },
            new EdgeOptions());

        harness.Start(harness.OpenCamera(), live: false);
        await harness.WaitForEndAsync(Timeout);

        Assert.Equal(10, harness.Frames.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ulong)i), harness.Frames.Select(f => f.Sequence));
        Assert.Equal(2, harness.Logs.WithEvent(1107).Count);
        Assert.True(harness.Account.Snapshot().Reconciles);
    }

    /// <summary>Writes an MJPEG AVI of the sample clip's first frame resized to the given size.</summary>
    private static string WriteVideo(int width, int height, int frames)
    {
        string path = Path.Combine(TestPaths.CreateTemporaryFolder(), $"{width}x{height}.avi");
        using Mat sample = TestImages.SampleFrame();
        using var frame = new Mat();
        Cv2.Resize(sample, frame, new Size(width, height), 0, 0, InterpolationFlags.Area);
        using (var writer = new VideoWriter(path, FourCC.MJPG, 10, new Size(width, height), isColor: true))
        {
            Assert.True(writer.IsOpened(), $"OpenCV cannot write {path}");
            for (int i = 0; i < frames; i++)
            {
                writer.Write(frame);
            }
        }

        return path;
    }
}
