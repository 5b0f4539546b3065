using System.Diagnostics;
using GanStream.Quality.Features;
using GanStream.Quality.Metrics;
using Microsoft.Extensions.Logging;
using OpenCvSharp;

namespace GanStream.Quality.Evaluation;

/// <summary>
/// Scores the images of one or more systems against reference frames. Callers add each reference frame once with
/// <see cref="AddReference"/> and each system's image of it with <see cref="AddCandidate"/>, matched by a frame key,
/// in any order and from any thread; <see cref="CreateReport"/> then computes PSNR and SSIM per frame, and the
/// distribution metrics (FD on ResNet-18 features with its real-against-real noise floor, and IS and FID when an
/// Inception-v3 file is given) over the frames each system produced. Nothing here knows how the images were made,
/// so any deployment mode can feed it.
/// </summary>
public sealed class QualityEvaluator : IDisposable
{
    /// <summary>Fewest frames for the FD columns: the noise floor needs two halves of at least 2 vectors each.</summary>
    public const int MinimumFramesForDistance = 4;

    private readonly QualityOptions options;
    private readonly ILogger logger;
    private readonly ResNet18Featurizer resNet18;
    private readonly InceptionV3Network? inception;
    private readonly Lock gate = new();
    private readonly Dictionary<long, ImageFeatures> references = [];
    private readonly Dictionary<EvaluatedSystem, Dictionary<long, (FrameScore Score, ImageFeatures Features)>> systems = [];

    /// <exception cref="FeatureModelException">A feature network cannot be loaded.</exception>
    public QualityEvaluator(QualityOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InceptionScoreSplits, 1);

        this.options = options;
        this.logger = logger;
        resNet18 = new ResNet18Featurizer(options.ResNet18Directory, options.Inference, logger);
        if (!string.IsNullOrWhiteSpace(options.InceptionPath))
        {
            try
            {
                inception = new InceptionV3Network(options.InceptionPath, options.Inference, logger);
            }
            catch
            {
                resNet18.Dispose();
                throw;
            }
        }

        QualityLog.NetworksLoaded(
            logger,
            resNet18.ExecutionProvider,
            options.ResNet18Directory,
            inception is null ? "not given" : options.InceptionPath!);
    }

    /// <summary>Whether an Inception-v3 file was given, so IS and FID are computed as far as its outputs allow.</summary>
    public bool ComputesInceptionMetrics => inception is not null;

    /// <summary>Adds a reference frame under a key that is unique among the references.</summary>
    public void AddReference(long frame, Mat original)
    {
        ImageFeatures features = Extract(original);
        lock (gate)
        {
            if (!references.TryAdd(frame, features))
            {
                throw new ArgumentException($"Reference frame {frame} was already added.", nameof(frame));
            }
        }
    }

    /// <summary>Adds a system's image of a reference frame, scoring it against <paramref name="original"/>.</summary>
    /// <exception cref="ArgumentException">The images differ in size or type, or the frame was already added.</exception>
    public void AddCandidate(EvaluatedSystem system, long frame, Mat original, Mat candidate)
    {
        var score = new FrameScore(frame, Psnr.Compute(original, candidate), Ssim.Compute(original, candidate));
        ImageFeatures features = Extract(candidate);
        lock (gate)
        {
            if (!systems.TryGetValue(system, out var frames))
            {
                frames = [];
                systems.Add(system, frames);
            }

            if (!frames.TryAdd(frame, (score, features)))
            {
                throw new ArgumentException($"Frame {frame} of {system} was already added.", nameof(frame));
            }
        }
    }

    /// <summary>Computes every system's scores from what was added so far.</summary>
    /// <exception cref="InvalidOperationException">A system has a frame whose reference was never added.</exception>
    public QualityReport CreateReport()
    {
        lock (gate)
        {
            var results = systems.Select(pair => Score(pair.Key, pair.Value)).ToList();
            InceptionScoreResult? referenceScore = ScoreInception(references.OrderBy(r => r.Key).Select(r => r.Value).ToList());
            return new QualityReport(
                references.Count,
                resNet18.ExecutionProvider,
                inception is null ? null : options.InceptionPath,
                referenceScore,
                results);
        }
    }

    public void Dispose()
    {
        resNet18.Dispose();
        inception?.Dispose();
    }

    private ImageFeatures Extract(Mat image)
    {
        float[] resNet = resNet18.Extract(image);
        InceptionOutputs? outputs = inception?.Extract(image);
        return new ImageFeatures(resNet, outputs?.Pool, outputs?.Logits);
    }

    private SystemQuality Score(EvaluatedSystem system, Dictionary<long, (FrameScore Score, ImageFeatures Features)> frames)
    {
        var stopwatch = Stopwatch.StartNew();
        long[] keys = frames.Keys.Order().ToArray();
        long[] unmatched = keys.Where(key => !references.ContainsKey(key)).ToArray();
        if (unmatched.Length > 0)
        {
            throw new InvalidOperationException(
                $"{system} has frames without a reference ({string.Join(", ", unmatched.Take(5))}); add each with AddReference.");
        }

        var candidates = keys.Select(key => frames[key].Features).ToList();
        var originals = keys.Select(key => references[key]).ToList();
        var scores = keys.Select(key => frames[key].Score).ToList();

        double? distance = null;
        double? halves = null;
        double? floor = null;
        double? fid = null;
        double? fidFloor = null;
        if (keys.Length >= MinimumFramesForDistance)
        {
            (distance, halves, floor) = Distances(candidates, originals, f => f.ResNet18);
            if (candidates[0].InceptionPool is not null)
            {
                (fid, _, fidFloor) = Distances(candidates, originals, f => f.InceptionPool!);
            }
        }
        else
        {
            QualityLog.TooFewFrames(logger, system.ToString(), keys.Length, MinimumFramesForDistance);
        }

        var result = new SystemQuality(
            system,
            keys.Length,
            scores.Count == 0 ? double.NaN : scores.Average(s => s.Psnr),
            scores.Count == 0 ? double.NaN : scores.Average(s => s.Ssim),
            distance,
            halves,
            floor,
            ScoreInception(candidates),
            fid,
            fidFloor,
            scores);
        QualityLog.SystemScored(logger, system.ToString(), keys.Length, stopwatch.Elapsed.TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// Computes FD of all candidates against all originals, of the candidates at even positions against the
    /// originals at odd positions, and of the originals at even positions against those at odd positions.
    /// Interleaved halves keep the content of both halves alike, as it is in the full comparison.
    /// </summary>
    private static (double All, double Halves, double Floor) Distances(
        List<ImageFeatures> candidates,
        List<ImageFeatures> originals,
        Func<ImageFeatures, float[]> select)
    {
        List<float[]> candidateVectors = candidates.Select(select).ToList();
        List<float[]> originalVectors = originals.Select(select).ToList();
        List<float[]> candidateEven = candidateVectors.Where((_, i) => i % 2 == 0).ToList();
        List<float[]> originalEven = originalVectors.Where((_, i) => i % 2 == 0).ToList();
        List<float[]> originalOdd = originalVectors.Where((_, i) => i % 2 == 1).ToList();

        FeatureStatistics oddStatistics = FeatureStatistics.FromVectors(originalOdd);
        return (
            FrechetDistance.Compute(candidateVectors, originalVectors),
            FrechetDistance.Compute(FeatureStatistics.FromVectors(candidateEven), oddStatistics),
            FrechetDistance.Compute(FeatureStatistics.FromVectors(originalEven), oddStatistics));
    }

    private InceptionScoreResult? ScoreInception(List<ImageFeatures> images)
    {
        if (images.Count < options.InceptionScoreSplits || images.Any(i => i.InceptionLogits is null))
        {
            return null;
        }

        return InceptionScore.FromLogits(images.Select(i => i.InceptionLogits!).ToList(), options.InceptionScoreSplits);
    }
}
