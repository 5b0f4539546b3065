using GanStream.Edge;
using GanStream.Edge.Accounting;
using GanStream.Tests.Support;
using Prometheus;

namespace GanStream.Tests.Observability;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class EdgeMetricsTests
{
    [Fact]
    public void RemoveMetrics_UsedCamera_LeavesNoSeries()
    {
        string camera = UniqueCamera();
        string other = UniqueCamera();
        var account = new CameraAccount(camera);
        var otherAccount = new CameraAccount(other);
        account.FrameRead();
        account.FrameFiltered("blur");
        account.FrameDropped("in-flight-limit");
        account.FrameSent(2048);
        CameraAccount.FramePublished(camera, 2048, TimeSpan.FromMilliseconds(3));
        account.FrameSynthesized(TimeSpan.FromMilliseconds(800));
        account.CaptureTimed(TimeSpan.FromMilliseconds(5));
        account.FilterTimed(TimeSpan.FromMilliseconds(2));
        account.EncodeTimed(TimeSpan.FromMilliseconds(4));
        account.SourceReconnected();
        account.SetSourceState(CameraSourceState.Open);
        EdgeMetrics.SourceErrors.WithLabels(camera, "open-failed").Inc();
        EdgeMetrics.FramesNormalized.WithLabels(camera, "gray").Inc();
        otherAccount.FrameRead();
        Assert.NotEmpty(SeriesOf(camera));

        account.RemoveMetrics();

        Assert.Empty(SeriesOf(camera));
        Assert.Contains("ganstream_edge_frames_captured_total", SeriesOf(other));
        otherAccount.RemoveMetrics();
    }

    [Fact]
    public void NewAccount_Created_ExportsZeroSeries()
    {
        string camera = UniqueCamera();
        var account = new CameraAccount(camera);

        Assert.Equal(0, EdgeMetrics.FramesCaptured.WithLabels(camera).Value);
        Assert.Equal(0, EdgeMetrics.CameraReconnects.WithLabels(camera).Value);
        Assert.Contains([camera, "synthesized"], EdgeMetrics.Results.GetAllLabelValues());
        account.RemoveMetrics();
    }

    [Fact]
    public void Reconnected_TwoReconnects_CountsBoth()
    {
        string camera = UniqueCamera();
        var account = new CameraAccount(camera);

        account.SourceReconnected();
        account.SourceReconnected();

        Assert.Equal(2, account.Snapshot().Reconnects);
        Assert.Equal(2, EdgeMetrics.CameraReconnects.WithLabels(camera).Value);
        account.RemoveMetrics();
    }

    [Theory]
    [InlineData(CameraSourceState.Open, 1)]
    [InlineData(CameraSourceState.Ended, 0)]
    [InlineData(CameraSourceState.Failed, 0)]
    public void SetSourceState_State_SetsOpenGauge(CameraSourceState state, double expected)
    {
        string camera = UniqueCamera();
        var account = new CameraAccount(camera);

        account.SetSourceState(state);

        Assert.Equal(state, account.SourceState);
        Assert.Equal(expected, EdgeMetrics.CameraSourceOpen.WithLabels(camera).Value);
        account.RemoveMetrics();
    }

    /// <summary>Names of the per-camera metrics that still hold a series of <paramref name="camera"/>.</summary>
    private static List<string> SeriesOf(string camera)
    {
        var names = new List<string>();
        Collect(EdgeMetrics.FramesCaptured, camera, names);
        Collect(EdgeMetrics.FramesFiltered, camera, names);
        Collect(EdgeMetrics.FramesDropped, camera, names);
        Collect(EdgeMetrics.FramesPublished, camera, names);
        Collect(EdgeMetrics.PublishedBytes, camera, names);
        Collect(EdgeMetrics.FeatureSize, camera, names);
        Collect(EdgeMetrics.Results, camera, names);
        Collect(EdgeMetrics.FramesExpired, camera, names);
        Collect(EdgeMetrics.FramesInFlight, camera, names);
        Collect(EdgeMetrics.EndToEndLatency, camera, names);
        Collect(EdgeMetrics.CaptureDuration, camera, names);
        Collect(EdgeMetrics.FilterDuration, camera, names);
        Collect(EdgeMetrics.EncodeDuration, camera, names);
        Collect(EdgeMetrics.PublishDuration, camera, names);
        Collect(EdgeMetrics.CameraReconnects, camera, names);
        Collect(EdgeMetrics.CameraSourceOpen, camera, names);
        Collect(EdgeMetrics.SourceErrors, camera, names);
        Collect(EdgeMetrics.FramesNormalized, camera, names);
        Assert.Equal(18, EdgeMetrics.PerCameraNames.Count);
        return names;
    }

    private static void Collect<TChild>(Collector<TChild> collector, string camera, List<string> names)
        where TChild : ChildBase
    {
        if (collector.GetAllLabelValues().Any(labels => labels[0] == camera))
        {
            names.Add(collector.Name);
        }
    }

    private static string UniqueCamera() => $"metrics-{Guid.NewGuid():N}"[..20];
}
