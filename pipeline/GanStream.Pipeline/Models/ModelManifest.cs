using System.Text.Json;
using System.Text.Json.Serialization;

namespace GanStream.Pipeline.Models;

/// <summary>
/// Description of one model version in the model repository, read from <c>manifest.json</c> next to
/// <c>model.onnx</c>.
/// </summary>
public sealed record ModelManifest
{
    public required string Name { get; init; }

    public required int Version { get; init; }

    public string? Description { get; init; }

    /// <summary>What the model does; the pipeline serves <c>super-resolution</c>.</summary>
    public string Task { get; init; } = "super-resolution";

    /// <summary>Ratio of output to input width and height.</summary>
    public required int ScaleFactor { get; init; }

    public required TensorSpec Input { get; init; }

    public required TensorSpec Output { get; init; }

    /// <summary>Features the model expects from the edge.</summary>
    public FeatureSpec Feature { get; init; } = new();

    /// <summary>Tile size for frames larger than the model handles in one piece.</summary>
    public TileSpec Tile { get; init; } = new();

    public string? License { get; init; }

    public string? Source { get; init; }

    /// <summary>Lowercase hexadecimal SHA-256 of <c>model.onnx</c>; checked at load time when present.</summary>
    public string? Sha256 { get; init; }

    /// <summary><c>name:version</c>, as used in logs and requests.</summary>
    [JsonIgnore]
    public string Id => $"{Name}:{Version}";

    internal static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };
}

/// <summary>One input or output tensor of a model.</summary>
public sealed record TensorSpec
{
    public required string Name { get; init; }

    /// <summary><c>NCHW</c> or <c>NHWC</c>.</summary>
    public string Layout { get; init; } = "NCHW";

    /// <summary><c>RGB</c> or <c>BGR</c>.</summary>
    public string ChannelOrder { get; init; } = "RGB";

    /// <summary>ONNX element type; the pipeline feeds <c>float32</c>.</summary>
    public string ElementType { get; init; } = "float32";

    /// <summary>Pixel values that correspond to black and white, for example [0, 255] or [0, 1].</summary>
    public float[] ValueRange { get; init; } = [0f, 255f];
}

/// <summary>Features an edge sends for the model.</summary>
public sealed record FeatureSpec
{
    /// <summary><c>downscaled</c>: the frame reduced by the scale factor.</summary>
    public string Kind { get; init; } = "downscaled";

    /// <summary><c>jpeg</c>, <c>webp</c> or <c>png</c>.</summary>
    public string Codec { get; init; } = "jpeg";

    /// <summary>Codec quality from 1 to 100.</summary>
    public int Quality { get; init; } = 90;
}

/// <summary>Tiling of large inputs, in input pixels.</summary>
public sealed record TileSpec
{
    /// <summary>Edge length of a square tile; 0 disables tiling.</summary>
    public int Size { get; init; } = 128;

    /// <summary>Pixels shared by neighbouring tiles, blended to hide seams.</summary>
    public int Overlap { get; init; } = 16;
}
