using System.Diagnostics;
using System.Numerics.Tensors;
using GanStream.Cloud.Decoding;
using GanStream.Pipeline.Imaging;
using GanStream.Pipeline.Models;
using GanStream.Schemas;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OpenCvSharp;

namespace GanStream.Cloud.Inference;

/// <summary>Turns one image of an inference output into a <see cref="SynthesisResult"/> with a compressed image.</summary>
public sealed class ResultEncoder
{
    private readonly ImageEncoding encoding;
    private readonly int quality;

    public ResultEncoder(ImageEncoding encoding, int quality)
    {
        this.encoding = encoding;
        this.quality = quality;
    }

    /// <summary>Encodes image <paramref name="index"/> of a batch.</summary>
    /// <returns>The result, or null and a rejection when the output holds NaN or infinite values.</returns>
    public SynthesisResult? Encode(InferredBatch batch, int index, out Rejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long started = Stopwatch.GetTimestamp();
        DecodedFrame frame = batch.Frames[index];
        ReadOnlySpan<float> values = batch.Output.Image(index);

        // NaN and infinities propagate through a sum, and the sum of a finite image stays far below float's range.
        if (!float.IsFinite(TensorPrimitives.Sum(values)))
        {
            rejection = new Rejection(
                RejectionReason.InvalidModelOutput,
                $"model {frame.Model.Manifest.Id} produced NaN or infinite values");
            return null;
        }

        byte[] payload;
        using (var image = new Mat(batch.Output.Height, batch.Output.Width, MatType.CV_8UC3))
        {
            FrameTensor.Unpack(values, image, frame.Model.OutputFormat);
            payload = ImageCodec.Encode(image, encoding, quality);
        }

        double encodeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        CloudMetrics.EncodeDuration.Observe(encodeMs / 1000);
        rejection = null;
        return new SynthesisResult
        {
            SchemaVersion = SchemaVersions.SynthesisResult,
            Status = ResultStatus.Ok,
            CameraId = frame.Features.CameraId,
            FrameSequence = frame.Features.FrameSequence,
            CaptureTime = frame.Features.CaptureTime ?? new Timestamp(),
            ModelName = frame.Model.Manifest.Name,
            ModelVersion = frame.Model.Manifest.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ExecutionProvider = frame.Model.ExecutionProvider,
            Encoding = encoding,
            Width = (uint)batch.Output.Width,
            Height = (uint)batch.Output.Height,
            Payload = UnsafeByteOperations.UnsafeWrap(payload),
            Timings = new StageTimings
            {
                QueueMs = QueueMilliseconds(frame),
                DecodeMs = frame.DecodeMs,
                BatchWaitMs = Stopwatch.GetElapsedTime(frame.ReadyTimestamp, batch.StartTimestamp).TotalMilliseconds,
                InferenceMs = batch.InferenceMs,
                EncodeMs = encodeMs,
                BatchSize = (uint)batch.Frames.Count,
            },
        };
    }

    private static double QueueMilliseconds(DecodedFrame frame)
    {
        // The Kafka timestamp comes from the producer's clock, so across machines this includes clock skew.
        DateTime produced = frame.Message.Record.Message.Timestamp.UtcDateTime;
        double received = Stopwatch.GetElapsedTime(frame.Message.ReceivedTimestamp).TotalMilliseconds;
        double sinceProduced = (DateTime.UtcNow - produced).TotalMilliseconds;
        return Math.Max(0, sinceProduced - received);
    }
}
