using GanStream.Pipeline.Filtering;
using GanStream.Tests.Support;
using OpenCvSharp;

namespace GanStream.Tests.Filtering;

[Trait(TestCategories.Name, TestCategories.Video)]
public sealed class FilterTests
{
    [Fact]
    public void BlurFilter_SharpFrame_IsKept()
    {
        using Mat frame = TestImages.SampleFrame();
        var filter = new BlurFilter(threshold: 100);
        using var analysis = new FrameAnalysis(frame, TimeSpan.Zero);

        Assert.False(filter.ShouldDrop(analysis));
    }

    [Fact]
    public void BlurFilter_GaussianBlurredFrame_IsDropped()
    {
        using Mat frame = TestImages.SampleFrame();
        using var blurred = new Mat();
        Cv2.GaussianBlur(frame, blurred, new Size(0, 0), sigmaX: 4);
        var filter = new BlurFilter(threshold: 100);
        using var analysis = new FrameAnalysis(blurred, TimeSpan.Zero);

        double sharp = BlurFilter.LaplacianVariance(new FrameAnalysis(frame, TimeSpan.Zero).Gray);
        Assert.True(filter.ShouldDrop(analysis), $"Blurred variance {BlurFilter.LaplacianVariance(analysis.Gray):F1}, sharp {sharp:F1}");
    }

    [Fact]
    public void DuplicateFilter_SameFrameTwice_DropsSecond()
    {
        using Mat frame = TestImages.SampleFrame();
        var filter = new DuplicateFilter(threshold: 0.5);
        using var first = new FrameAnalysis(frame, TimeSpan.Zero);
        using var second = new FrameAnalysis(frame.Clone(), TimeSpan.FromMilliseconds(100));

        Assert.False(filter.ShouldDrop(first));
        filter.OnAccepted(first);
        Assert.True(filter.ShouldDrop(second));
    }

    [Fact]
    public void DuplicateFilter_FramesOneSecondApart_KeepsBoth()
    {
        using Mat early = TestImages.SampleFrame(0);
        using Mat late = TestImages.SampleFrame(10);
        var filter = new DuplicateFilter(threshold: 0.5);
        using var first = new FrameAnalysis(early, TimeSpan.Zero);
        using var second = new FrameAnalysis(late, TimeSpan.FromSeconds(1));

        filter.OnAccepted(first);

        Assert.False(filter.ShouldDrop(second));
    }

    [Theory]
    [InlineData(10, 10, 10)]
    [InlineData(10, 5, 5)]
    [InlineData(10, 2, 2)]
    [InlineData(30, 4, 4)]
    public void RateLimitFilter_SourceRate_PassesAtMostLimit(double sourceFps, double limit, int expectedPerSecond)
    {
        var filter = new RateLimitFilter(limit);
        using var image = new Mat(4, 4, MatType.CV_8UC3, Scalar.All(0));
        int passed = 0;
        int frames = (int)sourceFps;
        for (int i = 0; i < frames; i++)
        {
            // Media timestamps rounded to whole milliseconds, as decoders report them.
            var analysis = new FrameAnalysis(image, TimeSpan.FromMilliseconds(Math.Round(i * 1000 / sourceFps)));
            if (!filter.ShouldDrop(analysis))
            {
                filter.OnAccepted(analysis);
                passed++;
            }
        }

        Assert.Equal(expectedPerSecond, passed);
    }

    [Fact]
    public void FilterChain_DroppedFrame_DoesNotBecomeDuplicateReference()
    {
        using Mat frame = TestImages.SampleFrame();
        using var blurred = new Mat();
        Cv2.GaussianBlur(frame, blurred, new Size(0, 0), sigmaX: 4);
        using var chain = new FilterChain(new FilterOptions { BlurThreshold = 100, DuplicateThreshold = 0.5 });

        Assert.Null(chain.Evaluate(frame, TimeSpan.Zero));
        Assert.Equal(DuplicateFilter.FilterName, chain.Evaluate(frame, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(BlurFilter.FilterName, chain.Evaluate(blurred, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void FilterChain_AllDisabled_PassesEverything()
    {
        using Mat frame = TestImages.SampleFrame();
        using var chain = new FilterChain(new FilterOptions { BlurThreshold = 0, DuplicateThreshold = 0, MaxFramesPerSecond = 0 });

        Assert.Empty(chain.FilterNames);
        Assert.Null(chain.Evaluate(frame, TimeSpan.Zero));
        Assert.Null(chain.Evaluate(frame, TimeSpan.Zero));
    }
}
