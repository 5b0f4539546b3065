namespace GanStream.Edge.Capture;

/// <summary>A camera source cannot be opened or read.</summary>
public sealed class CameraSourceException : Exception
{
    public CameraSourceException()
    {
    }

    public CameraSourceException(string message)
        : base(message)
    {
    }

    public CameraSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
