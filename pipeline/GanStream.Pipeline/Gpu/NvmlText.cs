using System.Text;

namespace GanStream.Pipeline.Gpu;

/// <summary>Conversions of values that NVML returns.</summary>
public static class NvmlText
{
    /// <summary>
    /// Decodes a string that NVML wrote into a fixed buffer: UTF-8 up to the first NUL byte, or the whole buffer when
    /// it has none. Surrounding white space is removed.
    /// </summary>
    public static string DecodeString(ReadOnlySpan<byte> buffer)
    {
        int end = buffer.IndexOf((byte)0);
        ReadOnlySpan<byte> text = end >= 0 ? buffer[..end] : buffer;
        return Encoding.UTF8.GetString(text).Trim();
    }

    /// <summary>Converts NVML's utilization percentage (0 to 100) to a ratio; larger values become 1.</summary>
    public static double PercentToRatio(uint percent) => Math.Min(percent, 100u) / 100.0;
}
