using GanStream.Schemas;
using GanStream.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace GanStream.Tests.Schemas;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class SchemaRoundTripTests
{
    [Fact]
    public void FrameFeatures_SerializeAndParse_KeepsEveryField()
    {
        var original = new FrameFeatures
        {
            SchemaVersion = SchemaVersions.FrameFeatures,
            CameraId = "gate-3",
            FrameSequence = 1234567890123,
            CaptureTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 4, 10, 30, 15, 123, TimeSpan.Zero)),
            FeatureKind = FeatureKind.Downscaled,
            Encoding = ImageEncoding.Webp,
            Width = 192,
            Height = 144,
            SourceWidth = 768,
            SourceHeight = 576,
            Payload = ByteString.CopyFrom(1, 2, 3, 250),
            Model = "esrgan-medium-x4:1",
        };

        FrameFeatures parsed = FrameFeatures.Parser.ParseFrom(original.ToByteArray());

        Assert.Equal(original, parsed);
        Assert.Equal(new DateTime(2026, 12, 4, 10, 30, 15, 123, DateTimeKind.Utc), parsed.CaptureTime.ToDateTime());
    }

    [Fact]
    public void SynthesisResult_SerializeAndParse_KeepsEveryField()
    {
        var original = new SynthesisResult
        {
            SchemaVersion = SchemaVersions.SynthesisResult,
            CameraId = "gate-3",
            FrameSequence = 42,
            CaptureTime = Timestamp.FromDateTime(DateTime.UnixEpoch.AddDays(20000)),
            ModelName = "esrgan-medium-x4",
            ModelVersion = "1",
            Encoding = ImageEncoding.Jpeg,
            Width = 768,
            Height = 576,
            Payload = ByteString.CopyFrom(new byte[1000]),
            Timings = new StageTimings { QueueMs = 1.5, DecodeMs = 2, BatchWaitMs = 3, InferenceMs = 400, EncodeMs = 5, BatchSize = 4 },
            ExecutionProvider = "CPUExecutionProvider",
            WorkerId = "worker-1",
            Status = ResultStatus.Rejected,
            ErrorReason = "undecodable-payload",
        };

        SynthesisResult parsed = SynthesisResult.Parser.ParseFrom(original.ToByteArray());

        Assert.Equal(original, parsed);
    }

    [Fact]
    public void FrameFeatures_ParseRandomBytes_ThrowsInvalidProtocolBuffer()
    {
        byte[] garbage = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01];

        Assert.Throws<InvalidProtocolBufferException>(() => FrameFeatures.Parser.ParseFrom(garbage));
    }

    [Fact]
    public void FrameFeatures_UnknownFieldFromNewerWriter_IsSkipped()
    {
        var original = new FrameFeatures { SchemaVersion = 1, CameraId = "a" };
        byte[] bytes = original.ToByteArray();

        // Field 99, varint 7: a field this reader does not know.
        byte[] extended = [.. bytes, 0x98, 0x06, 0x07];
        FrameFeatures parsed = FrameFeatures.Parser.ParseFrom(extended);

        Assert.Equal("a", parsed.CameraId);
    }
}
