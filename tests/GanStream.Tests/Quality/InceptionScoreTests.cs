using GanStream.Quality.Metrics;
using GanStream.Tests.Support;

namespace GanStream.Tests.Quality;

[Trait(TestCategories.Name, TestCategories.Unit)]
[Trait(TestCategories.Name, TestCategories.Quality)]
public sealed class InceptionScoreTests
{
    [Fact]
    public void FromProbabilities_UniformClassifier_IsOne()
    {
        // p(y|x) = p(y) for every image, so every KL term is 0 and exp(0) = 1.
        List<double[]> rows = Enumerable.Range(0, 50).Select(_ => Enumerable.Repeat(1.0 / 1000, 1000).ToArray()).ToList();

        InceptionScoreResult score = InceptionScore.FromProbabilities(rows);

        Assert.Equal(1.0, score.Mean, 12);
        Assert.Equal(0.0, score.StandardDeviation, 12);
        Assert.Equal(10, score.Splits);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(7)]
    public void FromProbabilities_ConfidentBalancedClassifier_IsClassCount(int classes)
    {
        // One-hot rows spread evenly over k classes in every split: p(y) = 1/k, each KL term is log k, score k.
        List<double[]> rows = Enumerable.Range(0, classes * 10).Select(i => OneHot(i % classes, 1008)).ToList();

        InceptionScoreResult score = InceptionScore.FromProbabilities(rows);

        Assert.Equal(classes, score.Mean, 10);
        Assert.Equal(0.0, score.StandardDeviation, 10);
    }

    [Fact]
    public void FromLogits_LargeMargins_ApproachesClassCount()
    {
        // A margin of 40 leaves at most 1007 · e^-40 ≈ 4e-15 of probability outside the predicted class.
        List<float[]> logits = Enumerable.Range(0, 30).Select(i =>
        {
            var row = new float[1008];
            row[i % 3] = 40f;
            return row;
        }).ToList();

        Assert.Equal(3.0, InceptionScore.FromLogits(logits).Mean, 9);
    }

    [Fact]
    public void FromProbabilities_UnevenSplits_AveragesSplitScores()
    {
        // Split 1 contains two different certain classes (score 2), split 2 one class twice (score 1).
        List<double[]> rows = [OneHot(0, 4), OneHot(1, 4), OneHot(2, 4), OneHot(2, 4)];

        InceptionScoreResult score = InceptionScore.FromProbabilities(rows, splits: 2);

        Assert.Equal(1.5, score.Mean, 12);
        Assert.Equal(0.5, score.StandardDeviation, 12);
    }

    [Fact]
    public void FromProbabilities_FewerImagesThanSplits_Throws()
    {
        Assert.Throws<ArgumentException>(() => InceptionScore.FromProbabilities([OneHot(0, 3)], splits: 10));
    }

    private static double[] OneHot(int index, int length)
    {
        var row = new double[length];
        row[index] = 1.0;
        return row;
    }
}
