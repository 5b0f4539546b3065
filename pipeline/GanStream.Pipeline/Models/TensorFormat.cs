namespace GanStream.Pipeline.Models;

/// <summary>How pixels map to tensor elements for one model input or output.</summary>
/// <param name="ChannelsFirst">True for NCHW, false for NHWC.</param>
/// <param name="Rgb">True when channel 0 is red; OpenCV images are BGR.</param>
/// <param name="Black">Element value of a 0 pixel.</param>
/// <param name="White">Element value of a 255 pixel.</param>
public readonly record struct TensorFormat(bool ChannelsFirst, bool Rgb, float Black, float White)
{
    /// <summary>Element value per 8-bit pixel step.</summary>
    public float Scale => (White - Black) / 255f;

    /// <summary>Reads the format of a manifest tensor.</summary>
    /// <param name="modelId">Model named in error messages.</param>
    /// <exception cref="ModelLoadException">The layout, channel order or value range is invalid.</exception>
    public static TensorFormat FromSpec(TensorSpec spec, string modelId)
    {
        ArgumentNullException.ThrowIfNull(spec);
        bool channelsFirst = spec.Layout.ToUpperInvariant() switch
        {
            "NCHW" => true,
            "NHWC" => false,
            _ => throw new ModelLoadException($"Model {modelId}: tensor '{spec.Name}' has layout '{spec.Layout}'; use NCHW or NHWC."),
        };

        bool rgb = spec.ChannelOrder.ToUpperInvariant() switch
        {
            "RGB" => true,
            "BGR" => false,
            _ => throw new ModelLoadException(
                $"Model {modelId}: tensor '{spec.Name}' has channel order '{spec.ChannelOrder}'; use RGB or BGR."),
        };

        if (spec.ValueRange is not [float black, float white] || !(white > black))
        {
            throw new ModelLoadException(
                $"Model {modelId}: tensor '{spec.Name}' has value range [{string.Join(", ", spec.ValueRange)}]; " +
                "give [black, white] with white > black.");
        }

        return new TensorFormat(channelsFirst, rgb, black, white);
    }
}
