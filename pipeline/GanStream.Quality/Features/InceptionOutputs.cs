namespace GanStream.Quality.Features;

/// <summary>What an Inception-v3 network returns for one image; either part is null when the file lacks that output.</summary>
/// <param name="Pool">The 2048 pool3 features that FID compares.</param>
/// <param name="Logits">The 1000 or 1008 class logits that the Inception Score uses.</param>
public sealed record InceptionOutputs(float[]? Pool, float[]? Logits);
