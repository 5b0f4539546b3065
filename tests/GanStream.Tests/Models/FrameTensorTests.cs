using GanStream.Pipeline.Models;
using GanStream.Tests.Support;
using OpenCvSharp;

namespace GanStream.Tests.Models;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class FrameTensorTests
{
    [Theory]
    [InlineData(true, true, 0f, 255f)]
    [InlineData(true, false, 0f, 1f)]
    [InlineData(false, true, -1f, 1f)]
    [InlineData(false, false, 0f, 255f)]
    public void PackThenUnpack_AnyFormat_RestoresImage(bool channelsFirst, bool rgb, float black, float white)
    {
        using var image = new Mat(3, 5, MatType.CV_8UC3);
        var random = new Random(7);
        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < 5; x++)
            {
                image.Set(y, x, new Vec3b((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        var format = new TensorFormat(channelsFirst, rgb, black, white);
        var tensor = new float[3 * 5 * 3];
        using var restored = new Mat(3, 5, MatType.CV_8UC3);

        FrameTensor.Pack(image, tensor, format);
        FrameTensor.Unpack(tensor, restored, format);

        using var difference = new Mat();
        Cv2.Absdiff(image, restored, difference);
        Assert.Equal(0, Cv2.CountNonZero(difference.Reshape(1)));
    }

    [Fact]
    public void Pack_RgbChannelsFirst_PutsRedPlaneFirst()
    {
        using var image = new Mat(1, 2, MatType.CV_8UC3, new Scalar(10, 20, 255));
        var tensor = new float[6];

        FrameTensor.Pack(image, tensor, new TensorFormat(ChannelsFirst: true, Rgb: true, 0, 255));

        Assert.Equal([255f, 255f, 20f, 20f, 10f, 10f], tensor);
    }

    [Fact]
    public void Unpack_OutOfRangeValues_AreClamped()
    {
        using var image = new Mat(1, 1, MatType.CV_8UC3);
        float[] tensor = [-40f, 300f, 127.6f];

        FrameTensor.Unpack(tensor, image, new TensorFormat(true, true, 0, 255));

        Assert.Equal(new Vec3b(128, 255, 0), image.Get<Vec3b>(0, 0));
    }
}
