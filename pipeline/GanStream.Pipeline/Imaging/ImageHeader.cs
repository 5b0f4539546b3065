using System.Buffers.Binary;
using GanStream.Schemas;

namespace GanStream.Pipeline.Imaging;

/// <summary>
/// Reads the format and pixel size that a compressed image declares in its header, without decoding it, so that a
/// decoder is never handed an image larger than the configured limits.
/// </summary>
public static class ImageHeader
{
    /// <summary>Reads a JPEG, PNG or WebP header.</summary>
    /// <returns>False when the bytes are none of the three formats or the header is truncated.</returns>
    public static bool TryRead(ReadOnlySpan<byte> data, out ImageEncoding encoding, out int width, out int height)
    {
        encoding = ImageEncoding.Unspecified;
        width = 0;
        height = 0;

        if (TryReadPng(data, out width, out height))
        {
            encoding = ImageEncoding.Png;
            return true;
        }

        if (TryReadJpeg(data, out width, out height))
        {
            encoding = ImageEncoding.Jpeg;
            return true;
        }

        if (TryReadWebP(data, out width, out height))
        {
            encoding = ImageEncoding.Webp;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Checks that an image of a known format is not cut short. A JPEG must have its end-of-image marker (FF D9) in
    /// its last kilobyte, a PNG must end with its IEND chunk, and a WebP must be as long as its RIFF header declares.
    /// libjpeg fills a truncated JPEG with grey instead of failing, so this check is what detects the truncation.
    /// </summary>
    public static bool IsComplete(ReadOnlySpan<byte> data, ImageEncoding encoding)
    {
        switch (encoding)
        {
            case ImageEncoding.Jpeg:
                // Cameras sometimes pad a JPEG after its end marker, so the marker is searched near the end.
                ReadOnlySpan<byte> tail = data[Math.Max(0, data.Length - 1024)..];
                return tail.IndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) >= 0;

            case ImageEncoding.Png:
                // The IEND chunk: length 0, type "IEND", then its 4-byte CRC.
                return data.Length >= 12 && data[^8..^4].SequenceEqual("IEND"u8);

            case ImageEncoding.Webp:
                if (data.Length < 12)
                {
                    return false;
                }

                long riffSize = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(4, 4));
                return data.Length >= riffSize + 8;

            default:
                return false;
        }
    }

    private static bool TryReadPng(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = 0;
        height = 0;
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

        // Signature, then the IHDR chunk: length (4), type (4), width (4), height (4).
        if (data.Length < 24 || !data[..8].SequenceEqual(signature) || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return false;
        }

        uint w = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(16, 4));
        uint h = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(20, 4));
        return ToSize(w, h, out width, out height);
    }

    private static bool TryReadJpeg(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            return false;
        }

        int position = 2;
        while (position + 4 <= data.Length)
        {
            if (data[position] != 0xFF)
            {
                return false;
            }

            byte marker = data[position + 1];
            if (marker == 0xFF)
            {
                position++;
                continue;
            }

            // Markers without a length field.
            if (marker is 0xD8 or 0x01 || marker is >= 0xD0 and <= 0xD7)
            {
                position += 2;
                continue;
            }

            int segmentLength = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(position + 2, 2));
            if (segmentLength < 2)
            {
                return false;
            }

            // Start-of-frame markers C0-CF, except DHT (C4), JPG (C8) and DAC (CC), carry the frame size.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (position + 9 > data.Length)
                {
                    return false;
                }

                int h = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(position + 5, 2));
                int w = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(position + 7, 2));
                return ToSize((uint)w, (uint)h, out width, out height);
            }

            if (marker is 0xD9 or 0xDA)
            {
                return false;
            }

            position += 2 + segmentLength;
        }

        return false;
    }

    private static bool TryReadWebP(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (data.Length < 30 || !data[..4].SequenceEqual("RIFF"u8) || !data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return false;
        }

        ReadOnlySpan<byte> chunk = data.Slice(12, 4);
        ReadOnlySpan<byte> body = data[20..];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
            if (body[3] != 0x9D || body[4] != 0x01 || body[5] != 0x2A)
            {
                return false;
            }

            uint w = BinaryPrimitives.ReadUInt16LittleEndian(body.Slice(6, 2)) & 0x3FFFu;
            uint h = BinaryPrimitives.ReadUInt16LittleEndian(body.Slice(8, 2)) & 0x3FFFu;
            return ToSize(w, h, out width, out height);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            // Signature 0x2F, then 14 bits of width - 1 and 14 bits of height - 1.
            if (body[0] != 0x2F)
            {
                return false;
            }

            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(body.Slice(1, 4));
            return ToSize((bits & 0x3FFFu) + 1, ((bits >> 14) & 0x3FFFu) + 1, out width, out height);
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Flags (4 bytes), then 24-bit canvas width - 1 and height - 1.
            uint w = (uint)(body[4] | body[5] << 8 | body[6] << 16) + 1;
            uint h = (uint)(body[7] | body[8] << 8 | body[9] << 16) + 1;
            return ToSize(w, h, out width, out height);
        }

        return false;
    }

    private static bool ToSize(uint w, uint h, out int width, out int height)
    {
        width = (int)Math.Min(w, int.MaxValue);
        height = (int)Math.Min(h, int.MaxValue);
        return w > 0 && h > 0;
    }
}
