using GanStream.Quality.Evaluation;
using OpenCvSharp;

namespace GanStream.Cli.Evaluation;

/// <summary>
/// What the passes of one evaluation share: the frames, the evaluator, and which reference frames and bicubic
/// baselines were already scored, so that each is scored once however many models are evaluated.
/// </summary>
internal sealed class EvaluationContext
{
    private readonly HashSet<long> references = [];
    private readonly HashSet<string> baselines = new(StringComparer.Ordinal);

    public EvaluationContext(EvaluationFrames frames, int frameCount, int cropMultiple, QualityEvaluator evaluator)
    {
        Frames = frames;
        FrameCount = frameCount;
        CropMultiple = cropMultiple;
        Evaluator = evaluator;
    }

    public EvaluationFrames Frames { get; }

    public int FrameCount { get; }

    /// <summary>Frames are cropped to sides that are multiples of this, the least common multiple of the scale factors.</summary>
    public int CropMultiple { get; }

    public QualityEvaluator Evaluator { get; }

    /// <summary>
    /// Reads every selected frame, crops it, adds it as a reference the first time, degrades it like the edge, adds
    /// the bicubic baseline of that degradation the first time, and passes the frame number, the cropped frame and
    /// the decoded features to <paramref name="scoreCandidate"/>.
    /// </summary>
    public void ForEachFrame(
        string label,
        FrameDegrader degrader,
        Action<long, Mat, Mat> scoreCandidate,
        CancellationToken cancellationToken)
    {
        var baseline = new EvaluatedSystem($"bicubic ({degrader.Description})", "baseline");
        bool addBaseline = baselines.Add(baseline.Name);
        var progress = new ProgressDisplay(label, FrameCount);
        int done = 0;
        foreach ((long frame, Mat image) in Frames.Read(cancellationToken))
        {
            using (image)
            using (Mat original = FrameDegrader.Crop(image, CropMultiple))
            using (Mat features = degrader.Degrade(original))
            {
                if (references.Add(frame))
                {
                    Evaluator.AddReference(frame, original);
                }

                if (addBaseline)
                {
                    using Mat upscaled = degrader.Bicubic(features);
                    Evaluator.AddCandidate(baseline, frame, original, upscaled);
                }

                scoreCandidate(frame, original, features);
            }

            progress.Report(++done);
        }
    }
}
