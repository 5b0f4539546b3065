using BenchmarkDotNet.Attributes;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Models;
using GanStream.Schemas;
using OpenCvSharp;

namespace GanStream.Benchmarks;

/// <summary>The worker's encode stage: a 768x576 float output tensor into a compressed image.</summary>
[MemoryDiagnoser]
public class ResultEncodeBenchmarks
{
    private static readonly TensorFormat Format = new(ChannelsFirst: true, Rgb: true, 0, 255);
    private float[] tensor = [];
    private Mat image = new();

    [Params(ImageEncoding.Jpeg, ImageEncoding.Png)]
    public ImageEncoding Encoding { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using Mat frame = SampleFrames.Read(50);
        tensor = new float[frame.Width * frame.Height * 3];
        FrameTensor.Pack(frame, tensor, Format);
        image = new Mat(frame.Height, frame.Width, MatType.CV_8UC3);
    }

    [GlobalCleanup]
    public void Cleanup() => image.Dispose();

    [Benchmark]
    public void TensorToImage() => FrameTensor.Unpack(tensor, image, Format);

    [Benchmark]
    public int TensorToEncodedImage()
    {
        FrameTensor.Unpack(tensor, image, Format);
        return ImageCodec.Encode(image, Encoding, 90).Length;
    }
}
