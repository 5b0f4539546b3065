namespace GanStream.Tests.Support;

/// <summary>JPEG files that OpenCV cannot write, built byte by byte.</summary>
public static class TestJpegs
{
    /// <summary>
    /// A baseline JPEG with four components (CMYK, as Adobe writes it, with an APP14 marker saying no colour transform)
    /// of <paramref name="blocksWide"/> x <paramref name="blocksHigh"/> blocks of 8x8 pixels. Every block holds only
    /// its DC value, mid grey, so the entropy-coded data is all zero bits with one-symbol Huffman tables.
    /// </summary>
    public static byte[] Cmyk(int blocksWide = 2, int blocksHigh = 2)
    {
        int width = blocksWide * 8;
        int height = blocksHigh * 8;
        var bytes = new List<byte> { 0xFF, 0xD8 };

        // APP14 "Adobe": version 100, flags 0, 0, transform 0 (CMYK stored as is).
        bytes.AddRange([0xFF, 0xEE, 0x00, 0x0E, (byte)'A', (byte)'d', (byte)'o', (byte)'b', (byte)'e', 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00]);

        // DQT: table 0, 8-bit, all ones.
        bytes.AddRange([0xFF, 0xDB, 0x00, 0x43, 0x00]);
        bytes.AddRange(Enumerable.Repeat((byte)1, 64));

        // SOF0: 8-bit precision, size, four components with 1x1 sampling and quantisation table 0.
        bytes.AddRange([0xFF, 0xC0, 0x00, 0x14, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x04]);
        for (byte component = 1; component <= 4; component++)
        {
            bytes.AddRange([component, 0x11, 0x00]);
        }

        // DHT: DC table 0 and AC table 0, each with one code of length 1: DC category 0, AC end-of-block.
        bytes.AddRange([0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01]);
        bytes.AddRange(Enumerable.Repeat((byte)0, 15));
        bytes.Add(0x00);
        bytes.AddRange([0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01]);
        bytes.AddRange(Enumerable.Repeat((byte)0, 15));
        bytes.Add(0x00);

        // SOS: four components, all with tables 0/0, full spectral range.
        bytes.AddRange([0xFF, 0xDA, 0x00, 0x0E, 0x04, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, 0x00, 0x3F, 0x00]);

        // Two bits (DC "0", AC "0") per block, four blocks per MCU, padded with one bits to whole bytes.
        int bits = blocksWide * blocksHigh * 4 * 2;
        int wholeBytes = bits / 8;
        bytes.AddRange(Enumerable.Repeat((byte)0, wholeBytes));
        int rest = bits % 8;
        if (rest > 0)
        {
            bytes.Add((byte)(0xFF >> rest));
        }

        bytes.AddRange([0xFF, 0xD9]);
        return [.. bytes];
    }

    /// <summary>A JPEG start, a baseline frame header declaring the given size, and the end marker; no image data.</summary>
    public static byte[] HugeHeader(int width = 50000, int height = 50000) =>
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03,
        0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
        0xFF, 0xD9,
    ];
}
