namespace GanStream.Schemas;

/// <summary>Layout versions of the messages in this folder that the current code writes and reads.</summary>
public static class SchemaVersions
{
    /// <summary>Version written into <see cref="FrameFeatures.SchemaVersion"/>.</summary>
    public const uint FrameFeatures = 1;

    /// <summary>Version written into <see cref="SynthesisResult.SchemaVersion"/>.</summary>
    public const uint SynthesisResult = 1;
}
