using GanStream.Edge;
using GanStream.Edge.Accounting;
using GanStream.Edge.Capture;
using GanStream.Tests.Support;

namespace GanStream.Tests.Capture;

/// <summary>
/// A camera served over HTTP as Motion JPEG by the test itself, taken offline and back, or stalled, while the capture
/// loop reads it.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Fault)]
[Trait(TestCategories.Name, TestCategories.Video)]
public sealed class CameraReconnectTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task CaptureLoop_CameraStoppedAndRestarted_ReconnectsWithBoundedBackoff()
    {
        await using var server = MjpegTestServer.Create(frameCount: 10, frameInterval: TimeSpan.FromMilliseconds(40));
        server.Start();
        var capture = new CaptureOptions
        {
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(800),
        };
        await using var harness = new CaptureHarness(Camera(server.Url), Options(capture, readTimeout: TimeSpan.FromSeconds(3)));
        harness.Start(harness.OpenCamera(), live: true);
        await harness.WaitForFramesAsync(10, Timeout);

        await server.StopAsync();
        await harness.Logs.WaitForAsync(e => e.EventId == 1100, Timeout, CancellationToken.None);
        await harness.Logs.WaitForAsync(
            e => e.EventId == 1103 && e.Message.Contains("attempt 3", StringComparison.Ordinal),
            Timeout,
            CancellationToken.None);
        int beforeRestart = harness.Frames.Count;
        server.Start();
        await harness.WaitForFramesAsync(beforeRestart + 10, Timeout);
        await harness.DisposeAsync();

        CameraSnapshot snapshot = harness.Account.Snapshot();
        Assert.True(snapshot.Reconciles, $"read {snapshot.Read}, dropped {snapshot.DroppedTotal}, taken {snapshot.FilteredTotal}");
        Assert.True(snapshot.Reconnects >= 1, $"{snapshot.Reconnects} reconnects");
        Assert.NotEmpty(harness.Logs.WithEvent(1102));
        Assert.All(harness.Logs.WithEvent(1101), e => Assert.True(DelaySeconds(e) <= 0.8, e.Message));
        Assert.True(harness.Frames.Select(f => f.Sequence).SequenceEqual(harness.Frames.Select(f => f.Sequence).Order()));
    }

    [Fact]
    public async Task CaptureLoop_ReadStallsBeyondWatchdog_AbandonsAndReopensSource()
    {
        await using var server = MjpegTestServer.Create(frameCount: 10, frameInterval: TimeSpan.FromMilliseconds(40));
        server.Start();
        var capture = new CaptureOptions
        {
            ReadStallTimeout = TimeSpan.FromSeconds(2),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };

        // The source's own read timeout is longer than the watchdog, so only the watchdog can end the stalled read.
        await using var harness = new CaptureHarness(Camera(server.Url), Options(capture, readTimeout: TimeSpan.FromMinutes(5)));
        harness.Start(harness.OpenCamera(), live: true);
        await harness.WaitForFramesAsync(5, Timeout);

        server.StallOpenConnections();
        LogEntry stalled = await harness.Logs.WaitForAsync(e => e.EventId == 1105, Timeout, CancellationToken.None);
        int beforeReopen = harness.Frames.Count;
        await harness.WaitForFramesAsync(beforeReopen + 10, Timeout);
        await harness.DisposeAsync();

        CameraSnapshot snapshot = harness.Account.Snapshot();
        Assert.Contains("a read", stalled.Message, StringComparison.Ordinal);
        Assert.True(snapshot.Reconnects >= 1, $"{snapshot.Reconnects} reconnects");
        Assert.True(server.Connections >= 2, $"{server.Connections} connections");
        Assert.True(snapshot.Reconciles);
    }

    [Fact]
    public async Task CaptureLoop_CameraNeverReturns_GivesUpAfterMaxAttempts()
    {
        await using var server = MjpegTestServer.Create(frameCount: 5, frameInterval: TimeSpan.FromMilliseconds(40));
        server.Start();
        var capture = new CaptureOptions
        {
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(100),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            MaxReconnectAttempts = 3,
        };
        await using var harness = new CaptureHarness(Camera(server.Url), Options(capture, readTimeout: TimeSpan.FromSeconds(3)));
        harness.Start(harness.OpenCamera(), live: true);
        await harness.WaitForFramesAsync(3, Timeout);

        await server.StopAsync();
        await harness.WaitForEndAsync(Timeout);

        Assert.Contains("3 failed attempts", harness.Loop.FailureReason, StringComparison.Ordinal);
        Assert.Single(harness.Logs.WithEvent(1104));
        Assert.Equal(3, harness.Logs.WithEvent(1103).Count);
        Assert.True(harness.Account.Snapshot().Reconciles);
    }

    [Fact]
    public async Task CaptureLoop_StreamFrameDeclaring50000Pixels_IsDroppedWithoutDecoding()
    {
        await using var server = MjpegTestServer.Create(frameCount: 3, frameInterval: TimeSpan.FromMilliseconds(40));
        server.InsertFrame(1, TestJpegs.HugeHeader(50000, 50000));
        server.Start();
        await using var harness = new CaptureHarness(
            Camera(server.Url),
            Options(new CaptureOptions(), readTimeout: TimeSpan.FromSeconds(3)));
        harness.Start(harness.OpenCamera(), live: true);

        await harness.Logs.WaitForAsync(e => e.EventId == 1003, Timeout, CancellationToken.None);
        await harness.WaitForFramesAsync(6, Timeout);
        await harness.DisposeAsync();

        CameraSnapshot snapshot = harness.Account.Snapshot();
        LogEntry dropped = harness.Logs.WithEvent(1003)[0];
        Assert.True(snapshot.Dropped.GetValueOrDefault("frame-too-large") >= 1);
        Assert.Contains("Camera door frame", dropped.Message, StringComparison.Ordinal);
        Assert.Contains("50000x50000", dropped.Message, StringComparison.Ordinal);
        Assert.True(snapshot.Reconciles);
    }

    private static CameraOptions Camera(string url) => new() { Id = "door", Source = url };

    private static EdgeOptions Options(CaptureOptions capture, TimeSpan readTimeout) => new()
    {
        Capture = capture,
        SourceOpenTimeout = TimeSpan.FromSeconds(10),
        SourceReadTimeout = readTimeout,
    };

    private static double DelaySeconds(LogEntry entry)
    {
        // "Camera door reopens its source in 0.4 s (attempt 2)"
        string text = entry.Message[(entry.Message.IndexOf(" in ", StringComparison.Ordinal) + 4)..];
        return double.Parse(text[..text.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
