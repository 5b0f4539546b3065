namespace GanStream.Edge.Cameras;

/// <summary>A request to attach or remove a camera was rejected; the message gives the reason and what to do.</summary>
public sealed class CameraRequestException(CameraRequestError error, string message) : Exception(message)
{
    public CameraRequestError Error { get; } = error;
}
