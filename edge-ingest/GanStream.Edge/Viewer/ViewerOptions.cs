namespace GanStream.Edge.Viewer;

/// <summary>Settings of the live viewer (section <c>Edge:Viewer</c>).</summary>
public sealed class ViewerOptions
{
    /// <summary>
    /// Serve the live viewer at <c>/viewer</c> on the address of <c>Metrics:Urls</c>, and keep the latest input and
    /// synthesized image of each camera for it. Default true.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
