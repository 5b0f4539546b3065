namespace GanStream.Pipeline.Models;

/// <summary>A model or its manifest is missing, invalid, or does not match the ONNX file.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
