using System.Threading.Channels;
using GanStream.Cloud.Batching;
using GanStream.Cloud.Consuming;
using GanStream.Cloud.Decoding;
using GanStream.Cloud.Replying;
using GanStream.Pipeline.Models;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace GanStream.Cloud.Inference;

/// <summary>
/// Decode, inference and encode, overlapped through bounded channels so that the model does not wait for the CPU
/// stages: messages written to <see cref="Input"/> come out as results or rejections on the <see cref="IReplySink"/>.
/// A synthesis worker feeds it from Kafka; an edge in edge-only mode feeds it directly.
/// </summary>
public sealed class SynthesisStages : IDisposable
{
    private readonly CloudOptions options;
    private readonly FeatureDecoder decoder;
    private readonly ResultEncoder encoder;
    private readonly IReplySink sink;
    private readonly ILogger logger;
    private readonly Channel<InboundMessage> inbound;
    private readonly Channel<DecodedFrame> ready;
    private readonly Channel<InferredBatch> inferred;
    private readonly CancellationTokenSource drain = new();
    private Task[] decoding = [];
    private Task inferring = Task.CompletedTask;
    private Task[] encoding = [];

    public SynthesisStages(CloudOptions options, ModelRepository models, IReplySink sink, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.sink = sink;
        this.logger = logger;
        decoder = new FeatureDecoder(options, models);
        encoder = new ResultEncoder(options.OutputEncoding, options.OutputQuality);
        inbound = CreateQueue<InboundMessage>(options.InboundQueueCapacity);
        ready = CreateQueue<DecodedFrame>(options.ReadyQueueCapacity);
        inferred = CreateQueue<InferredBatch>(options.OutputQueueCapacity);
    }

    /// <summary>Where requests enter; bounded, so a writer waits while the stages are busy.</summary>
    public ChannelWriter<InboundMessage> Input => inbound.Writer;

    /// <summary>Starts the decode and encode tasks and the inference thread.</summary>
    public void Start()
    {
        decoding = StartMany(options.DecodeConcurrency, () => DecodeAsync(drain.Token));
        inferring = StartLongRunning(() => InferAsync(drain.Token));
        encoding = StartMany(options.EncodeConcurrency, () => EncodeAsync(drain.Token));
    }

    /// <summary>
    /// Closes the input and lets each stage finish what it holds, in order, until <paramref name="timeout"/> passes;
    /// then disposes what is left.
    /// </summary>
    /// <returns>The number of requests not finished within the timeout.</returns>
    public async Task<int> DrainAsync(TimeSpan timeout)
    {
        drain.CancelAfter(timeout);
        inbound.Writer.TryComplete();
        await WhenAllQuietly(decoding);
        ready.Writer.TryComplete();
        await WhenAllQuietly(inferring);
        inferred.Writer.TryComplete();
        await WhenAllQuietly(encoding);
        return DisposeLeftovers();
    }

    public void Dispose()
    {
        decoder.Dispose();
        drain.Dispose();
    }

    private async Task DecodeAsync(CancellationToken cancellationToken)
    {
        await foreach (InboundMessage message in inbound.Reader.ReadAllAsync(cancellationToken))
        {
            RequestHeaders? headers = decoder.ReadHeaders(message, out Rejection? rejection);
            if (headers is null)
            {
                sink.PublishRejection(message, null, null, rejection!);
                continue;
            }

            DecodedFrame? frame;
            Schemas.FrameFeatures? features = null;
            try
            {
                frame = decoder.Decode(message, headers, out features, out rejection);
            }
            catch (OpenCVException exception)
            {
                frame = null;
                rejection = new Rejection(RejectionReason.UndecodablePayload, $"OpenCV failed to decode the payload: {exception.Message}");
            }

            if (frame is null)
            {
                if (rejection!.IsFilter)
                {
                    sink.PublishFiltered(message, headers, features!, rejection.Reason);
                }
                else
                {
                    sink.PublishRejection(message, headers, features, rejection);
                }

                continue;
            }

            CloudMetrics.DecodeDuration.Observe(frame.DecodeMs / 1000);
            await ready.Writer.WriteAsync(frame, cancellationToken);
        }
    }

    private async Task InferAsync(CancellationToken cancellationToken)
    {
        // A model that runs one image per call gains nothing from a fuller batch, so its batches never wait.
        var batcher = new DynamicBatcher<DecodedFrame>(
            ready.Reader,
            options.MaxBatchSize,
            options.MaxBatchDelay,
            BatchRunner.CanBatch,
            frame => frame.Model.ImagesPerCall > 1);
        var runner = new BatchRunner(options.MaxBatchSize, logger);
        var batch = new List<DecodedFrame>(options.MaxBatchSize);
        while (await batcher.NextBatchAsync(batch, cancellationToken))
        {
            DecodedFrame[] frames = [.. batch];
            InferredBatch result;
            try
            {
                result = runner.Run(frames);
            }
            catch (OnnxRuntimeException exception)
            {
                RejectAll(frames, RejectionReason.ModelFailed, exception.Message);
                continue;
            }

            SuperResolutionModel model = frames[0].Model;
            CloudMetrics.BatchSize.WithLabels(model.Manifest.Name).Observe(frames.Length);
            CloudMetrics.InferenceDuration.WithLabels(model.Manifest.Name, model.ExecutionProvider).Observe(result.InferenceMs / 1000);
            foreach (DecodedFrame frame in frames)
            {
                CloudMetrics.BatchWait.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(frame.ReadyTimestamp, result.StartTimestamp).TotalSeconds);
            }

            CloudLog.BatchInferred(logger, frames.Length, frames[0].Width, frames[0].Height, model.Manifest.Id, result.InferenceMs);
            await inferred.Writer.WriteAsync(result, cancellationToken);
        }
    }

    private async Task EncodeAsync(CancellationToken cancellationToken)
    {
        await foreach (InferredBatch batch in inferred.Reader.ReadAllAsync(cancellationToken))
        {
            using (batch)
            {
                for (int i = 0; i < batch.Frames.Count; i++)
                {
                    DecodedFrame frame = batch.Frames[i];
                    Schemas.SynthesisResult? result;
                    Rejection? rejection;
                    try
                    {
                        result = encoder.Encode(batch, i, out rejection);
                    }
                    catch (OpenCVException exception)
                    {
                        result = null;
                        rejection = new Rejection(RejectionReason.EncodeFailed, exception.Message);
                    }

                    if (result is null)
                    {
                        sink.PublishRejection(frame.Message, frame.Headers, frame.Features, rejection!);
                        continue;
                    }

                    sink.PublishResult(frame, result);
                }
            }
        }
    }

    private void RejectAll(DecodedFrame[] frames, string reason, string detail)
    {
        CloudLog.InferenceFailed(logger, frames.Length, frames[0].Model.Manifest.Id, detail);
        foreach (DecodedFrame frame in frames)
        {
            sink.PublishRejection(frame.Message, frame.Headers, frame.Features, new Rejection(reason, detail));
            frame.Dispose();
        }
    }

    private static Channel<T> CreateQueue<T>(int capacity) =>
        Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });

    private static Task[] StartMany(int count, Func<Task> loop) =>
        Enumerable.Range(0, count).Select(_ => Task.Run(loop)).ToArray();

    private static Task StartLongRunning(Func<Task> loop) =>
        Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private static async Task WhenAllQuietly(params Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException)
        {
            // The drain deadline passed; what is left is disposed and read again by the next owner.
        }
    }

    /// <summary>Disposes what the stages did not finish before the drain deadline; returns the number of items.</summary>
    private int DisposeLeftovers()
    {
        int count = 0;
        while (inbound.Reader.TryRead(out _))
        {
            count++;
        }

        while (ready.Reader.TryRead(out DecodedFrame? frame))
        {
            frame.Dispose();
            count++;
        }

        while (inferred.Reader.TryRead(out InferredBatch? batch))
        {
            count += batch.Frames.Count;
            batch.Dispose();
        }

        return count;
    }
}
