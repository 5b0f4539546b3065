using Microsoft.Extensions.Logging;

namespace GanStream.Pipeline.Models;

/// <summary>
/// A model version in the repository with a reference count: one reference for the repository while the version is
/// current, one per <see cref="ModelLease"/>. The session is disposed when the count reaches zero, and a version at
/// zero cannot be leased again.
/// </summary>
internal sealed class LoadedModelVersion
{
    private readonly ILogger logger;
    private int references = 1;

    public LoadedModelVersion(SuperResolutionModel model, ILogger logger)
    {
        Model = model;
        this.logger = logger;
    }

    public SuperResolutionModel Model { get; }

    /// <summary>Takes a lease, or returns null when the version has already been unloaded.</summary>
    public ModelLease? TryLease()
    {
        int current = Volatile.Read(ref references);
        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref references, current + 1, current);
            if (seen == current)
            {
                return new ModelLease(this);
            }

            current = seen;
        }

        return null;
    }

    /// <summary>Drops one reference and disposes the session when it was the last.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            Model.Dispose();
            ModelLog.ModelUnloaded(logger, Model.Manifest.Id);
        }
    }
}
