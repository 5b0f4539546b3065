namespace GanStream.Quality.Metrics;

/// <summary>Inception Score over equal splits of a set: the mean and the population standard deviation of the splits.</summary>
public readonly record struct InceptionScoreResult(double Mean, double StandardDeviation, int Splits);
