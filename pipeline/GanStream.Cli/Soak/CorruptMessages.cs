using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Messaging;
using GanStream.Schemas;
using Google.Protobuf;
using OpenCvSharp;

namespace GanStream.Cli.Soak;

/// <summary>
/// Builds feature-topic messages that a worker must dead-letter: bytes that are not the schema, an unknown schema
/// version, a truncated JPEG, and a JPEG whose header declares 50000x50000 pixels. Each carries valid reply headers,
/// so the worker also sends a rejection to the reply topic.
/// </summary>
internal static class CorruptMessages
{
    /// <summary>Number of different corrupt messages; <see cref="Create"/> takes an index modulo this count.</summary>
    public const int Kinds = 4;

    private static readonly Lazy<byte[]> SmallJpeg = new(() =>
    {
        using var image = new Mat(48, 64, MatType.CV_8UC3, new Scalar(40, 90, 160));
        return ImageCodec.Encode(image, ImageEncoding.Jpeg, 90);
    });

    /// <summary>Creates corrupt message number <paramref name="kind"/> (modulo <see cref="Kinds"/>).</summary>
    /// <returns>The value and a short name of what is wrong with it.</returns>
    public static (byte[] Value, string Name) Create(int kind, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        switch (kind % Kinds)
        {
            case 0:
                var noise = new byte[random.Next(16, 4096)];
                random.NextBytes(noise);

                // Field 1 with wire type 7 does not exist, so no protobuf parser accepts these bytes.
                noise[0] = 0x0F;
                return (noise, "not-the-schema");

            case 1:
                return (Features(SmallJpeg.Value, 64, 48, schemaVersion: 99).ToByteArray(), "unknown-schema-version");

            case 2:
                byte[] truncated = SmallJpeg.Value[..(SmallJpeg.Value.Length / 2)];
                return (Features(truncated, 64, 48, SchemaVersions.FrameFeatures).ToByteArray(), "truncated-jpeg");

            default:
                FrameFeatures huge = Features(HugeJpegHeader(), 64, 48, SchemaVersions.FrameFeatures);
                return (huge.ToByteArray(), "huge-declared-size");
        }
    }

    private static FrameFeatures Features(byte[] payload, uint width, uint height, uint schemaVersion) => new()
    {
        SchemaVersion = schemaVersion,
        CameraId = "soak-corrupt",
        FeatureKind = FeatureKind.Downscaled,
        Encoding = ImageEncoding.Jpeg,
        Width = width,
        Height = height,
        Payload = ByteString.CopyFrom(payload),
    };

    /// <summary>A JPEG start and a baseline frame header declaring 50000x50000 pixels, then the end marker.</summary>
    private static byte[] HugeJpegHeader()
    {
        const int Side = 50000;
        return
        [
            0xFF, 0xD8,
            0xFF, 0xC0, 0x00, 0x11, 0x08, Side >> 8, Side & 0xFF, Side >> 8, Side & 0xFF, 0x03,
            0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
            0xFF, 0xD9,
        ];
    }

    /// <summary>Headers of a corrupt request: a fresh correlation id and the reply topic.</summary>
    public static Confluent.Kafka.Headers Headers(string replyTopic)
    {
        var headers = new Confluent.Kafka.Headers();
        headers.AddString(MessageHeaders.CorrelationId, CorrelationIds.Create());
        headers.AddString(MessageHeaders.ReplyTopic, replyTopic);
        headers.AddString(MessageHeaders.ContentType, MessageHeaders.FrameFeaturesContentType);
        return headers;
    }
}
