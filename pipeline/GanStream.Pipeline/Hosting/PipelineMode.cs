namespace GanStream.Pipeline.Hosting;

/// <summary>Where filtering, feature extraction and synthesis run (<c>Pipeline:Mode</c>).</summary>
public enum PipelineMode
{
    /// <summary>The edge filters and sends compressed, downscaled features; the cloud runs the large generator.</summary>
    Hybrid,

    /// <summary>The edge sends every frame whole; the cloud filters, downscales and synthesizes.</summary>
    CloudOnly,

    /// <summary>The edge filters and runs a small generator itself; no broker is in the path.</summary>
    EdgeOnly,
}
