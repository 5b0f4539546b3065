namespace GanStream.Pipeline.Models;

/// <summary>Input shape of the warm-up run at load time, and where it comes from, for the log.</summary>
internal sealed record WarmUpShape(int BatchSize, int Height, int Width, string Source)
{
    /// <summary>Edge of the square warm-up input of a model that neither fixes its size nor has tiles.</summary>
    private const int FallbackEdge = 64;

    /// <summary>
    /// Chooses the shape the worker is most likely to run, in this order: the input size the ONNX file fixes, the
    /// size set by <c>Inference:WarmUpWidth</c> and <c>Inference:WarmUpHeight</c>, the size the replaced version
    /// ran last, the manifest's tile size, then 64 x 64. The batch size is the fixed one, else 1.
    /// </summary>
    public static WarmUpShape Choose(SuperResolutionModel model, InferenceOptions options, (int Height, int Width)? previous)
    {
        int batch = model.Signature.BatchSize ?? 1;
        if (model.Signature.Height is { } fixedHeight && model.Signature.Width is { } fixedWidth)
        {
            return new WarmUpShape(batch, fixedHeight, fixedWidth, "fixed ONNX input size");
        }

        if (model.Signature.Height is not null || model.Signature.Width is not null)
        {
            int edge = model.Signature.Height ?? model.Signature.Width ?? FallbackEdge;
            int height = model.Signature.Height ?? edge;
            int width = model.Signature.Width ?? edge;
            return new WarmUpShape(batch, height, width, "fixed ONNX input size");
        }

        if (options.WarmUpWidth > 0 && options.WarmUpHeight > 0)
        {
            return new WarmUpShape(batch, options.WarmUpHeight, options.WarmUpWidth, "Inference:WarmUpWidth/Height");
        }

        if (previous is { } size)
        {
            return new WarmUpShape(batch, size.Height, size.Width, "size the previous version served last");
        }

        if (model.Tiling.TileHeight > 0)
        {
            return new WarmUpShape(batch, model.Tiling.TileHeight, model.Tiling.TileWidth, "tile size");
        }

        return new WarmUpShape(batch, FallbackEdge, FallbackEdge, "default size");
    }

    /// <summary>The cheapest input the model takes: its fixed size, else 8 pixels per dynamic axis.</summary>
    public static WarmUpShape Smallest(SuperResolutionModel model)
    {
        const int edge = 8;
        ModelSignature signature = model.Signature;
        return new WarmUpShape(signature.BatchSize ?? 1, signature.Height ?? edge, signature.Width ?? edge, "shape check");
    }
}
