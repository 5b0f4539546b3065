namespace GanStream.Pipeline.Models;

/// <summary>
/// A reference to a loaded model version, taken for one request. The version stays loaded until every lease on it
/// is disposed, even after a newer version has replaced it in the repository.
/// </summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModelVersion? version;

    internal ModelLease(LoadedModelVersion version)
    {
        this.version = version;
        Model = version.Model;
    }

    public SuperResolutionModel Model { get; }

    /// <summary>Releases the reference; disposing twice releases it once.</summary>
    public void Dispose() => Interlocked.Exchange(ref version, null)?.Release();
}
