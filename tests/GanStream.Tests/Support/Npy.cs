using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GanStream.Tests.Support;

/// <summary>Reads NumPy .npy files of little-endian float32 in C order (format version 1.0).</summary>
public static partial class Npy
{
    public static (float[] Values, int[] Shape) ReadFloat32(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException($"'{path}' is not a .npy file.");
        }

        int headerLength = BitConverter.ToUInt16(bytes, 8);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        if (!header.Contains("'descr': '<f4'", StringComparison.Ordinal) || header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}' is not little-endian float32 in C order: {header}");
        }

        Match shapeMatch = ShapePattern().Match(header);
        int[] shape = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture))
            .ToArray();

        int offset = 10 + headerLength;
        var values = new float[(bytes.Length - offset) / 4];
        Buffer.BlockCopy(bytes, offset, values, 0, values.Length * 4);
        return (values, shape);
    }

    [GeneratedRegex(@"'shape': \(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
