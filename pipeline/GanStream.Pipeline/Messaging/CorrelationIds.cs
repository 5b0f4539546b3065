using System.Security.Cryptography;

namespace GanStream.Pipeline.Messaging;

/// <summary>Creates and checks frame correlation ids: 32 lowercase hexadecimal digits from 16 random bytes.</summary>
public static class CorrelationIds
{
    public const int Length = 32;

    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != Length)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
