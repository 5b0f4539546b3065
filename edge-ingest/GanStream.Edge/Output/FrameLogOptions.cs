namespace GanStream.Edge.Output;

/// <summary>
/// The per-frame log of synthesized frames (section <c>Edge:FrameLog</c>): one JSON object per line for each result
/// the edge matches to a frame, for benchmarks and latency analysis. Off unless <see cref="Path"/> is set.
/// </summary>
public sealed class FrameLogOptions
{
    public const string SectionName = "Edge:FrameLog";

    /// <summary>File to write, created or truncated at start; empty (default) turns the log off.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Folder that receives each synthesized image as the worker encoded it, as <c>CAMERA/SEQUENCE.EXT</c> with the
    /// sequence in 8 digits; empty (default) writes no images.
    /// </summary>
    public string? ImageDirectory { get; set; }

    /// <summary>
    /// Records waiting to be written. When the file falls this far behind, new records are dropped and counted, so
    /// the result listener never waits for the disk. Default 4096.
    /// </summary>
    public int Capacity { get; set; } = 4096;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Path);

    /// <summary>Checks the settings and throws with the name of the first invalid key.</summary>
    public void Validate()
    {
        if (Capacity is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"Edge:FrameLog:Capacity is {Capacity}; use 1 to 1000000.");
        }

        if (!IsEnabled && !string.IsNullOrWhiteSpace(ImageDirectory))
        {
            throw new ArgumentException("Edge:FrameLog:ImageDirectory is set but Edge:FrameLog:Path is not; set both.");
        }
    }
}
