using GanStream.Schemas;

namespace GanStream.Edge.Features;

/// <summary>How frames are turned into the features sent to the workers (section <c>Edge:Features</c>).</summary>
public sealed class FeatureOptions
{
    /// <summary>Model the workers run, as <c>name</c> or <c>name:version</c>; empty uses the worker's default.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// Factor by which frames are reduced before sending; it must equal the model's scale factor. 0 (default) reads
    /// it from the model's manifest in the model repository.
    /// </summary>
    public int ScaleFactor { get; set; }

    /// <summary>Compression of the features: Jpeg (default), Webp or Png.</summary>
    public ImageEncoding Codec { get; set; } = ImageEncoding.Jpeg;

    /// <summary>JPEG or WebP quality from 1 to 100. Default 90.</summary>
    public int Quality { get; set; } = 90;

    /// <summary>JPEG quality of the whole frames sent in cloud-only mode, from 1 to 100. Default 95.</summary>
    public int FullFrameQuality { get; set; } = 95;

    /// <summary>
    /// Generator the edge runs itself in edge-only mode, as name or name:version in the model repository. Default
    /// <c>esrgan-slim-x4</c>, the smallest one shipped.
    /// </summary>
    public string LocalModel { get; set; } = "esrgan-slim-x4";
}
