namespace GanStream.Edge.Cameras;

/// <summary>Why a request to attach or remove a camera was rejected.</summary>
public enum CameraRequestError
{
    /// <summary>The camera's settings are invalid, or its source cannot be opened (HTTP 400).</summary>
    Invalid,

    /// <summary>No camera with that id is attached (HTTP 404).</summary>
    NotFound,

    /// <summary>The id is taken, or the edge is not in a state to change its cameras (HTTP 409).</summary>
    Conflict,
}
