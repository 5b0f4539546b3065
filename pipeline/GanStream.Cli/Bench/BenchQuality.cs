using GanStream.Cli.Hosting;
using GanStream.Quality.Evaluation;
using GanStream.Quality.Features;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace GanStream.Cli.Bench;

/// <summary>
/// Scores the images each mode synthesized at its saturation load point against the clip's frames with the same
/// sequence number (modulo the clip length when the clip was looped), with <see cref="QualityEvaluator"/>.
/// </summary>
internal static class BenchQuality
{
    /// <returns>The quality of each mode that saved images, by mode.</returns>
    /// <exception cref="CliException">The Inception file is missing or a feature network cannot be loaded.</exception>
    public static IReadOnlyDictionary<string, ModeQuality> Score(
        IReadOnlyDictionary<string, LoadPointOutcome> outcomes,
        ClipInfo clip,
        BenchSettings settings,
        ILogger logger,
        BenchProgress progress,
        CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<int, List<(string Mode, string Image)>>();
        var notes = outcomes.Keys.ToDictionary(mode => mode, _ => new List<string>(), StringComparer.Ordinal);
        foreach ((string mode, LoadPointOutcome outcome) in outcomes)
        {
            if (outcome.ImageDirectory is null)
            {
                continue;
            }

            var seen = new HashSet<int>();
            foreach (FrameRecord frame in outcome.Frames.Where(f => f.Image is not null))
            {
                int index = (int)(frame.Sequence % (ulong)clip.FrameCount);
                if (!seen.Add(index))
                {
                    continue;
                }

                if (!wanted.TryGetValue(index, out var list))
                {
                    list = [];
                    wanted[index] = list;
                }

                list.Add((mode, Path.Combine(outcome.ImageDirectory, frame.Image!)));
            }
        }

        using QualityEvaluator evaluator = CreateEvaluator(settings, logger);
        int total = wanted.Values.Sum(list => list.Count);
        int done = 0;
        using (PhaseProgress phase = progress.Phase("quality: PSNR, SSIM, FD (ResNet-18)", total))
        using (var capture = new VideoCapture(clip.Path))
        using (var original = new Mat())
        {
            int index = 0;
            int last = wanted.Count == 0 ? -1 : wanted.Keys.Max();
            while (index <= last && capture.Read(original) && !original.Empty())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (wanted.TryGetValue(index, out var candidates))
                {
                    evaluator.AddReference(index, original);
                    foreach ((string mode, string image) in candidates)
                    {
                        AddCandidate(evaluator, mode, index, original, image, notes[mode]);
                        phase.Report(++done);
                    }
                }

                index++;
            }
        }

        QualityReport report = evaluator.CreateReport();
        var results = new Dictionary<string, ModeQuality>(StringComparer.Ordinal);
        foreach (SystemQuality system in report.Systems)
        {
            string mode = system.System.Mode;
            results[mode] = new ModeQuality(
                system.Frames,
                Finite(system.MeanPsnr),
                Finite(system.MeanSsim),
                system.FdResNet18,
                system.FdResNet18Halves,
                system.FdResNet18NoiseFloor,
                system.InceptionScore?.Mean,
                system.InceptionScore?.StandardDeviation,
                system.Fid,
                system.FidNoiseFloor,
                notes[mode]);
        }

        return results;
    }

    private static void AddCandidate(
        QualityEvaluator evaluator,
        string mode,
        int index,
        Mat original,
        string imagePath,
        List<string> notes)
    {
        using Mat candidate = Cv2.ImRead(imagePath, ImreadModes.Color);
        if (candidate.Empty())
        {
            notes.Add($"{Path.GetFileName(imagePath)} could not be decoded and was not scored");
            return;
        }

        if (candidate.Size() != original.Size())
        {
            notes.Add($"frame {index} is {candidate.Width}x{candidate.Height}, not {original.Width}x{original.Height} " +
                "like its original, and was not scored");
            return;
        }

        evaluator.AddCandidate(new EvaluatedSystem(mode, mode), index, original, candidate);
    }

    private static double? Finite(double value) => double.IsNaN(value) ? null : value;

    private static QualityEvaluator CreateEvaluator(BenchSettings settings, ILogger logger)
    {
        if (settings.InceptionPath is { } path && !File.Exists(path))
        {
            throw new CliException($"--inception: '{path}' is not a file that exists.");
        }

        try
        {
            return new QualityEvaluator(
                new QualityOptions
                {
                    InceptionPath = settings.InceptionPath,
                    Inference = new Pipeline.Models.InferenceOptions
                    {
                        ExecutionProvider = settings.ExecutionProvider,
                        IntraOpThreads = settings.Threads,
                    },
                },
                logger);
        }
        catch (FeatureModelException exception)
        {
            throw new CliException(exception.Message, exception);
        }
    }
}
