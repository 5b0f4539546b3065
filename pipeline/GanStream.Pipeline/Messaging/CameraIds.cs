namespace GanStream.Pipeline.Messaging;

/// <summary>Rules for camera ids, which are Kafka keys, metric labels and file names.</summary>
public static class CameraIds
{
    public const int MaxLength = 64;

    /// <summary>True for 1 to 64 ASCII letters, digits, '-', '_' or '.', not starting with '.'.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id[0] != '.' &&
        id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
