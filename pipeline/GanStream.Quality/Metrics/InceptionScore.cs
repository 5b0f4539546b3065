namespace GanStream.Quality.Metrics;

/// <summary>
/// Inception Score (Salimans et al., "Improved techniques for training GANs", 2016): for each split of the set,
/// <c>exp(mean over images of KL(p(y|x) ‖ p(y)))</c>, where p(y) is the mean class distribution of the split.
/// Split i contains images <c>[i·N/splits, (i+1)·N/splits)</c> in the given order, as in the original implementation.
/// A classifier that is equally unsure about every image scores 1; one that is certain and spreads the images
/// evenly over k classes scores k.
/// </summary>
public static class InceptionScore
{
    /// <summary>Number of splits in the usual protocol.</summary>
    public const int DefaultSplits = 10;

    /// <summary>Computes the score from class logits, applying a softmax over all classes of each row.</summary>
    public static InceptionScoreResult FromLogits(IReadOnlyList<float[]> logits, int splits = DefaultSplits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        return FromProbabilities(logits.Select(Softmax).ToList(), splits);
    }

    /// <summary>Computes the score from class probabilities; each row must sum to 1.</summary>
    public static InceptionScoreResult FromProbabilities(IReadOnlyList<double[]> probabilities, int splits = DefaultSplits)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentOutOfRangeException.ThrowIfLessThan(splits, 1);
        if (probabilities.Count < splits)
        {
            throw new ArgumentException(
                $"The Inception Score with {splits} splits needs at least {splits} images, got {probabilities.Count}.",
                nameof(probabilities));
        }

        int classes = probabilities[0].Length;
        var scores = new double[splits];
        for (int split = 0; split < splits; split++)
        {
            int start = split * probabilities.Count / splits;
            int end = (split + 1) * probabilities.Count / splits;
            scores[split] = SplitScore(probabilities, start, end, classes);
        }

        double mean = scores.Average();
        double variance = scores.Sum(score => (score - mean) * (score - mean)) / splits;
        return new InceptionScoreResult(mean, Math.Sqrt(variance), splits);
    }

    /// <summary>Computes a numerically stable softmax in double precision.</summary>
    public static double[] Softmax(float[] logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        double max = logits.Max();
        var result = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            result[i] = Math.Exp(logits[i] - max);
            sum += result[i];
        }

        for (int i = 0; i < result.Length; i++)
        {
            result[i] /= sum;
        }

        return result;
    }

    private static double SplitScore(IReadOnlyList<double[]> probabilities, int start, int end, int classes)
    {
        var marginal = new double[classes];
        for (int image = start; image < end; image++)
        {
            double[] row = probabilities[image];
            if (row.Length != classes)
            {
                throw new ArgumentException(
                    $"Row {image} has {row.Length} classes but row 0 has {classes}.",
                    nameof(probabilities));
            }

            for (int c = 0; c < classes; c++)
            {
                marginal[c] += row[c];
            }
        }

        int count = end - start;
        for (int c = 0; c < classes; c++)
        {
            marginal[c] /= count;
        }

        double divergenceSum = 0;
        for (int image = start; image < end; image++)
        {
            double[] row = probabilities[image];
            for (int c = 0; c < classes; c++)
            {
                // A class with p = 0 adds 0 (the limit of p log p), and p > 0 implies a positive marginal.
                if (row[c] > 0)
                {
                    divergenceSum += row[c] * Math.Log(row[c] / marginal[c]);
                }
            }
        }

        return Math.Exp(divergenceSum / count);
    }
}
