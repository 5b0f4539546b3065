namespace GanStream.Pipeline.Filtering;

/// <summary>Frame filters applied before features are extracted (section <c>Edge:Filters</c>).</summary>
public sealed class FilterOptions
{
    /// <summary>
    /// Frames whose variance of the Laplacian of the grey image is below this value are dropped as blurred.
    /// 0 disables the filter. Default 100, a common starting point; the right value depends on the scene
    /// (a sharp street scene measures about 700 to 800, a smooth animation 30 to 50).
    /// </summary>
    public double BlurThreshold { get; set; } = 100;

    /// <summary>
    /// Frames whose mean absolute difference from the last frame sent, on a 64x48 grey thumbnail in grey levels
    /// (0 to 255), is below this value are dropped as near-duplicates. 0 disables the filter. Default 0.5.
    /// </summary>
    public double DuplicateThreshold { get; set; } = 0.5;

    /// <summary>Most frames per second sent per camera, measured on the source's timeline; 0 (default) sends all.</summary>
    public double MaxFramesPerSecond { get; set; }
}
