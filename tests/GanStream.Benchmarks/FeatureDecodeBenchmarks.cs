using BenchmarkDotNet.Attributes;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Models;
using GanStream.Schemas;
using OpenCvSharp;

namespace GanStream.Benchmarks;

/// <summary>The worker's decode stage: a 192x144 JPEG feature message payload into a float NCHW RGB tensor.</summary>
[MemoryDiagnoser]
public class FeatureDecodeBenchmarks
{
    private static readonly TensorFormat Format = new(ChannelsFirst: true, Rgb: true, 0, 255);
    private byte[] jpeg = [];
    private float[] tensor = [];

    [GlobalSetup]
    public void Setup()
    {
        using Mat frame = SampleFrames.Read(50);
        using var features = new Mat();
        Cv2.Resize(frame, features, new Size(frame.Width / 4, frame.Height / 4), 0, 0, InterpolationFlags.Area);
        jpeg = ImageCodec.Encode(features, ImageEncoding.Jpeg, 90);
        tensor = new float[features.Width * features.Height * 3];
    }

    [Benchmark]
    public int DecodeJpeg()
    {
        (Mat? image, _) = ImageCodec.Decode(jpeg, ImageEncoding.Jpeg, 4096, 4096);
        using (image)
        {
            return image!.Width;
        }
    }

    [Benchmark]
    public float DecodeJpegToTensor()
    {
        (Mat? image, _) = ImageCodec.Decode(jpeg, ImageEncoding.Jpeg, 4096, 4096);
        using (image)
        {
            FrameTensor.Pack(image!, tensor, Format);
            return tensor[0];
        }
    }
}
