using System.Diagnostics;
using GanStream.Pipeline.Models;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace GanStream.Cli.Bench;

/// <summary>
/// The model on its own: the clip's frames reduced as the edge reduces them (area averaging by the scale factor)
/// and packed into tensors before the clock starts, then run through <see cref="SuperResolutionModel.Run"/> in full
/// batches of the worker's batch size, with no broker, decoding or encoding. The pipeline's frame rate is compared
/// with this one.
/// </summary>
internal static class BareOnnxBaseline
{
    public static BaselineResult Run(BenchSettings settings, ClipInfo clip, ILoggerFactory loggers, BenchProgress progress)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clip);

        var inference = new InferenceOptions
        {
            ExecutionProvider = settings.ExecutionProvider,
            IntraOpThreads = settings.Threads,
        };
        using var repository = new ModelRepository(
            new ModelRepositoryOptions { Path = settings.ModelRepository },
            inference,
            loggers.CreateLogger<ModelRepository>());
        int scale = SuperResolutionModel.ReadManifest(repository.ResolveDirectory(settings.Model)).ScaleFactor;
        int width = clip.Width / scale;
        int height = clip.Height / scale;
        // The repository reads these options when it loads the model, so the warm-up runs on the feature size.
        inference.WarmUpWidth = width;
        inference.WarmUpHeight = height;

        using ModelLease lease = repository.Acquire(settings.Model);
        SuperResolutionModel model = lease.Model;
        int imageLength = width * height * 3;
        List<float[]> tensors = ReadTensors(clip, Math.Min(settings.Frames, clip.FrameCount), scale, model.InputFormat);

        float[] input = new float[imageLength * settings.MaxBatch];
        var batchMs = new List<double>();
        using PhaseProgress phase = progress.Phase("baseline: bare ONNX Runtime", settings.Frames);
        var total = Stopwatch.StartNew();
        int done = 0;
        while (done < settings.Frames)
        {
            int count = Math.Min(settings.MaxBatch, settings.Frames - done);
            for (int i = 0; i < count; i++)
            {
                tensors[(done + i) % tensors.Count].CopyTo(input.AsSpan(i * imageLength, imageLength));
            }

            long started = Stopwatch.GetTimestamp();
            using (model.Run(input, count, height, width))
            {
                batchMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            done += count;
            phase.Report(done);
        }

        double seconds = total.Elapsed.TotalSeconds;
        return new BaselineResult(
            model.Manifest.Id,
            model.ExecutionProvider,
            settings.Frames,
            settings.MaxBatch,
            width,
            height,
            batchMs.Count,
            seconds,
            settings.Frames / seconds,
            Distribution.Of(batchMs));
    }

    private static List<float[]> ReadTensors(ClipInfo clip, int count, int scale, TensorFormat format)
    {
        var tensors = new List<float[]>(count);
        using var capture = new VideoCapture(clip.Path);
        using var frame = new Mat();
        using var reduced = new Mat();
        var size = new Size(clip.Width / scale, clip.Height / scale);
        while (tensors.Count < count && capture.Read(frame) && !frame.Empty())
        {
            Cv2.Resize(frame, reduced, size, 0, 0, InterpolationFlags.Area);
            float[] tensor = new float[size.Width * size.Height * 3];
            FrameTensor.Pack(reduced, tensor, format);
            tensors.Add(tensor);
        }

        if (tensors.Count == 0)
        {
            throw new Hosting.CliException($"--input: no frame of '{clip.Path}' could be read for the baseline.");
        }

        return tensors;
    }
}
