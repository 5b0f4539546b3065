using BenchmarkDotNet.Attributes;
using GanStream.Edge.Capture;
using GanStream.Edge.Features;
using GanStream.Pipeline.Filtering;
using GanStream.Pipeline.Hosting;
using GanStream.Schemas;
using OpenCvSharp;

namespace GanStream.Benchmarks;

/// <summary>
/// The edge's work on one 768x576 camera frame: decode it from the sample clip, run the default filters (duplicate
/// and blur), then downscale it 4x and compress it as a 90-quality JPEG feature. Every frame is extracted, whatever
/// the filters decide, so this is the cost of a frame that is sent. Run pinned to one core (<c>taskset -c 0</c>) so
/// that the time is the time of one core, OpenCV's own threads included.
/// </summary>
[MemoryDiagnoser]
public class EdgeFrameBenchmarks
{
    private VideoCapture? capture;
    private FilterChain? filters;
    private FrameFeatureExtractor? extractor;
    private Mat frame = new();
    private int position;

    [GlobalSetup]
    public void Setup()
    {
        capture = OpenClip();
        filters = new FilterChain(new FilterOptions());
        extractor = new FrameFeatureExtractor(4, ImageEncoding.Jpeg, 90);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        capture?.Dispose();
        filters?.Dispose();
        frame.Dispose();
    }

    [Benchmark]
    public int Decode() => ReadNext().Width;

    [Benchmark]
    public int DecodeFilterExtract()
    {
        Mat image = ReadNext();
        string? filter = filters!.Evaluate(image, TimeSpan.FromMilliseconds(position * 100));
        ExtractedFeatures features = extractor!.Extract(image)!;
        return features.Payload.Length + (filter?.Length ?? 0);
    }

    private static VideoCapture OpenClip() =>
        new(ContentPaths.Resolve(Path.Combine("samples", "vtest-20s.avi")));

    /// <summary>Reads the clip's next frame, starting it again at its end.</summary>
    private Mat ReadNext()
    {
        if (!capture!.Read(frame) || frame.Empty())
        {
            capture.Dispose();
            capture = OpenClip();
            capture.Read(frame);
        }

        position++;
        Mat bgr = FrameNormalizer.ToBgr8(frame);
        if (!ReferenceEquals(bgr, frame))
        {
            frame.Dispose();
            frame = bgr;
        }

        return frame;
    }
}
