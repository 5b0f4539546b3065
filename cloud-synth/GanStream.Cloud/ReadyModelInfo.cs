using System.Globalization;
using GanStream.Pipeline.Models;

namespace GanStream.Cloud;

/// <summary>
/// The default model a worker loaded at start, kept as plain values so that readers never hold a model version that
/// a reload may dispose.
/// </summary>
public sealed record ReadyModelInfo(string Id, string Name, string Version, string ExecutionProvider)
{
    public static ReadyModelInfo From(SuperResolutionModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string version = model.Manifest.Version.ToString(CultureInfo.InvariantCulture);
        return new ReadyModelInfo(model.Manifest.Id, model.Manifest.Name, version, model.ExecutionProvider);
    }
}
