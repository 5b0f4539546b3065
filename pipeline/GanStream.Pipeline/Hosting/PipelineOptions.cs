namespace GanStream.Pipeline.Hosting;

/// <summary>Settings shared by the edge and the cloud services (section <c>Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>Deployment mode; both services of one pipeline must use the same.</summary>
    public PipelineMode Mode { get; set; } = PipelineMode.Hybrid;

    /// <summary>Reads a mode as written on the command line: <c>hybrid</c>, <c>cloud-only</c> or <c>edge-only</c>.</summary>
    /// <exception cref="ArgumentException">The text names no mode.</exception>
    public static PipelineMode ParseMode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string compact = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        if (Enum.TryParse(compact, ignoreCase: true, out PipelineMode mode) && Enum.IsDefined(mode))
        {
            return mode;
        }

        throw new ArgumentException($"'{text}' is not a deployment mode; use hybrid, cloud-only or edge-only.");
    }

    /// <summary>The mode as written on the command line and in reports.</summary>
    public static string Format(PipelineMode mode) => mode switch
    {
        PipelineMode.CloudOnly => "cloud-only",
        PipelineMode.EdgeOnly => "edge-only",
        _ => "hybrid",
    };
}
