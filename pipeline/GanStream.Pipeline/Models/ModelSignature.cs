using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GanStream.Pipeline.Models;

/// <summary>Dimensions that an ONNX file fixes for its image input; null where the dimension is dynamic.</summary>
public sealed record ModelSignature(int? BatchSize, int? Height, int? Width)
{
    /// <summary>Checks the manifest against the ONNX metadata of a loaded session.</summary>
    /// <exception cref="ModelLoadException">A name, element type, rank, layout or size does not match.</exception>
    internal static ModelSignature Check(ModelManifest manifest, InferenceSession session)
    {
        NodeMetadata input = FindTensor(manifest, session.InputMetadata, manifest.Input, "input");
        NodeMetadata output = FindTensor(manifest, session.OutputMetadata, manifest.Output, "output");
        TensorFormat inputFormat = TensorFormat.FromSpec(manifest.Input, manifest.Id);
        TensorFormat outputFormat = TensorFormat.FromSpec(manifest.Output, manifest.Id);

        (int? batch, int? height, int? width) = ReadImageDimensions(manifest, input, inputFormat, "input");
        (_, int? outHeight, int? outWidth) = ReadImageDimensions(manifest, output, outputFormat, "output");

        if (height is { } h && outHeight is { } oh && oh != h * manifest.ScaleFactor)
        {
            throw Mismatch(manifest, "scaleFactor", $"the ONNX output height {oh} is not {manifest.ScaleFactor} x input height {h}");
        }

        if (width is { } w && outWidth is { } ow && ow != w * manifest.ScaleFactor)
        {
            throw Mismatch(manifest, "scaleFactor", $"the ONNX output width {ow} is not {manifest.ScaleFactor} x input width {w}");
        }

        return new ModelSignature(batch, height, width);
    }

    private static NodeMetadata FindTensor(
        ModelManifest manifest,
        IReadOnlyDictionary<string, NodeMetadata> metadata,
        TensorSpec spec,
        string field)
    {
        if (!metadata.TryGetValue(spec.Name, out NodeMetadata? node))
        {
            string available = string.Join(", ", metadata.Keys);
            throw Mismatch(manifest, $"{field}.name", $"the ONNX file has no {field} '{spec.Name}' (it has: {available})");
        }

        if (!node.IsTensor)
        {
            throw Mismatch(manifest, $"{field}.name", $"ONNX {field} '{spec.Name}' is not a tensor");
        }

        if (node.ElementDataType == TensorElementType.Float16 || node.ElementDataType == TensorElementType.BFloat16)
        {
            throw Mismatch(
                manifest,
                $"{field}.elementType",
                $"ONNX {field} '{spec.Name}' is {node.ElementDataType}; the pipeline exchanges float32 tensors, so " +
                "export the model with float32 inputs and outputs (a Cast node may keep float16 inside)");
        }

        if (node.ElementDataType != TensorElementType.Float)
        {
            throw Mismatch(manifest, $"{field}.elementType", $"ONNX {field} '{spec.Name}' is {node.ElementDataType}, not float32");
        }

        return node;
    }

    private static (int? Batch, int? Height, int? Width) ReadImageDimensions(
        ModelManifest manifest,
        NodeMetadata node,
        TensorFormat format,
        string field)
    {
        int[] dims = node.Dimensions;
        if (dims.Length != 4)
        {
            throw Mismatch(manifest, $"{field}.layout", $"the ONNX {field} has rank {dims.Length}; an image tensor has rank 4");
        }

        int channelAxis = format.ChannelsFirst ? 1 : 3;
        int otherChannelAxis = format.ChannelsFirst ? 3 : 1;
        string layout = format.ChannelsFirst ? "NCHW" : "NHWC";
        if (dims[channelAxis] > 0 && dims[channelAxis] != 3)
        {
            throw Mismatch(
                manifest,
                $"{field}.layout",
                $"the manifest says {layout} but ONNX dimension {channelAxis} is {dims[channelAxis]}, not 3 channels");
        }

        // A fixed 3 where the other layout keeps its channels, next to a dynamic channel axis, means the layout is swapped.
        if (dims[channelAxis] <= 0 && dims[otherChannelAxis] == 3)
        {
            throw Mismatch(
                manifest,
                $"{field}.layout",
                $"the manifest says {layout} but the ONNX file fixes 3 channels at dimension {otherChannelAxis}");
        }

        int heightAxis = format.ChannelsFirst ? 2 : 1;
        int widthAxis = format.ChannelsFirst ? 3 : 2;
        return (Fixed(dims[0]), Fixed(dims[heightAxis]), Fixed(dims[widthAxis]));
    }

    private static int? Fixed(int dimension) => dimension > 0 ? dimension : null;

    private static ModelLoadException Mismatch(ModelManifest manifest, string field, string detail) =>
        new($"Model {manifest.Id}: manifest field '{field}' does not match the ONNX file: {detail}.");
}
