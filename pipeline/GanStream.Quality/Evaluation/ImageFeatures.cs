namespace GanStream.Quality.Evaluation;

/// <summary>Feature vectors of one image; the Inception parts are null when that network is not used.</summary>
internal sealed record ImageFeatures(float[] ResNet18, float[]? InceptionPool, float[]? InceptionLogits);
