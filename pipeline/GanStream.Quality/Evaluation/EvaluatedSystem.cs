namespace GanStream.Quality.Evaluation;

/// <summary>A way of producing images that is compared with the reference frames.</summary>
/// <param name="Name">For example <c>esrgan-medium-x4:1</c> or <c>bicubic x4</c>.</param>
/// <param name="Mode">How it ran, for example <c>model</c>, <c>pipeline</c> or <c>baseline</c>.</param>
public readonly record struct EvaluatedSystem(string Name, string Mode)
{
    public override string ToString() => $"{Name} ({Mode})";
}
