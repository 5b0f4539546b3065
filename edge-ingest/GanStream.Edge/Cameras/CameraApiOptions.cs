namespace GanStream.Edge.Cameras;

/// <summary>Settings of the camera API (section <c>Edge:CameraApi</c>).</summary>
public sealed class CameraApiOptions
{
    /// <summary>
    /// Serve <c>GET /cameras</c>, <c>POST /cameras</c> and <c>DELETE /cameras/{id}</c> on the address of
    /// <c>Metrics:Urls</c>, which list, attach and remove cameras of the running edge. The API has no
    /// authentication, so keep that address on loopback or a trusted network. Default true.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
