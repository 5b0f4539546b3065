namespace GanStream.Quality.Features;

/// <summary>A feature network's ONNX file is missing, unreadable, or has inputs or outputs other than expected.</summary>
public sealed class FeatureModelException : Exception
{
    public FeatureModelException()
    {
    }

    public FeatureModelException(string message)
        : base(message)
    {
    }

    public FeatureModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
