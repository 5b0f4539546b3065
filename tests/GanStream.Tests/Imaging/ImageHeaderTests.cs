using GanStream.Pipeline.Imaging;
using GanStream.Schemas;
using GanStream.Tests.Support;
using OpenCvSharp;

namespace GanStream.Tests.Imaging;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class ImageHeaderTests
{
    [Theory]
    [InlineData(ImageEncoding.Jpeg, 641, 481)]
    [InlineData(ImageEncoding.Png, 1, 1)]
    [InlineData(ImageEncoding.Webp, 192, 144)]
    [InlineData(ImageEncoding.Webp, 3, 1000)]
    public void TryRead_EncodedByOpenCv_ReturnsFormatAndSize(ImageEncoding encoding, int width, int height)
    {
        using var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(30, 120, 200));
        byte[] bytes = ImageCodec.Encode(image, encoding, 90);

        Assert.True(ImageHeader.TryRead(bytes, out ImageEncoding actual, out int w, out int h));

        Assert.Equal(encoding, actual);
        Assert.Equal(width, w);
        Assert.Equal(height, h);
    }

    [Fact]
    public void TryRead_JpegDeclaring50000Pixels_ReportsDeclaredSize()
    {
        byte[] bytes = HugeJpegHeader(50000, 50000);

        Assert.True(ImageHeader.TryRead(bytes, out ImageEncoding encoding, out int width, out int height));

        Assert.Equal(ImageEncoding.Jpeg, encoding);
        Assert.Equal(50000, width);
        Assert.Equal(50000, height);
    }

    [Fact]
    public void Decode_JpegDeclaring50000Pixels_IsRejectedBeforeDecoding()
    {
        (Mat? image, ImageRejection? rejection) = ImageCodec.Decode(HugeJpegHeader(50000, 50000), ImageEncoding.Jpeg, 4096, 4096);

        Assert.Null(image);
        Assert.Equal(ImageRejectionReason.TooLarge, rejection!.Reason);
        Assert.Contains("50000x50000", rejection.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[0], ImageRejectionReason.Empty)]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, ImageRejectionReason.UnknownFormat)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF }, ImageRejectionReason.UnknownFormat)]
    public void Decode_NotAnImage_IsRejected(byte[] bytes, ImageRejectionReason expected)
    {
        (Mat? image, ImageRejection? rejection) = ImageCodec.Decode(bytes, ImageEncoding.Unspecified, 4096, 4096);

        Assert.Null(image);
        Assert.Equal(expected, rejection!.Reason);
    }

    [Fact]
    public void Decode_TruncatedJpeg_IsRejectedAsCorrupt()
    {
        using Mat frame = TestImages.SampleFrame();
        byte[] bytes = ImageCodec.Encode(frame, ImageEncoding.Jpeg, 90);

        (Mat? image, ImageRejection? rejection) = ImageCodec.Decode(bytes.AsSpan(0, bytes.Length / 4), ImageEncoding.Jpeg, 4096, 4096);

        // libjpeg would fill the missing scan lines with grey; the missing end marker identifies the truncation.
        Assert.Null(image);
        Assert.Equal(ImageRejectionReason.Corrupt, rejection!.Reason);
        Assert.Contains("truncated", rejection.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ImageEncoding.Jpeg)]
    [InlineData(ImageEncoding.Png)]
    [InlineData(ImageEncoding.Webp)]
    public void IsComplete_WholeAndCutImages_TellsThemApart(ImageEncoding encoding)
    {
        using var image = new Mat(40, 50, MatType.CV_8UC3, new Scalar(30, 120, 200));
        byte[] bytes = ImageCodec.Encode(image, encoding, 90);

        Assert.True(ImageHeader.IsComplete(bytes, encoding));
        Assert.False(ImageHeader.IsComplete(bytes.AsSpan(0, bytes.Length - 20), encoding));
    }

    [Fact]
    public void Decode_CmykJpeg_IsConvertedToBgr()
    {
        byte[] cmyk = TestJpegs.Cmyk(blocksWide: 3, blocksHigh: 2);

        (Mat? image, ImageRejection? rejection) = ImageCodec.Decode(cmyk, ImageEncoding.Jpeg, 4096, 4096);

        Assert.Null(rejection);
        using (image)
        {
            Assert.Equal(new Size(24, 16), image!.Size());
            Assert.Equal(MatType.CV_8UC3, image.Type());
        }
    }

    [Fact]
    public void Decode_EncodingMismatch_IsRejected()
    {
        using var image = new Mat(8, 8, MatType.CV_8UC3, Scalar.All(5));
        byte[] png = ImageCodec.Encode(image, ImageEncoding.Png, 90);

        (Mat? decoded, ImageRejection? rejection) = ImageCodec.Decode(png, ImageEncoding.Jpeg, 4096, 4096);

        Assert.Null(decoded);
        Assert.Equal(ImageRejectionReason.EncodingMismatch, rejection!.Reason);
    }

    /// <summary>A JPEG start, a quantisation table stub and a baseline frame header declaring the given size.</summary>
    private static byte[] HugeJpegHeader(int width, int height) =>
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03,
        0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
        0xFF, 0xD9,
    ];
}
