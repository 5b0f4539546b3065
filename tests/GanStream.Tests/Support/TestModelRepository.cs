using System.Text.Json;
using System.Text.Json.Nodes;
using GanStream.Pipeline.Models;

namespace GanStream.Tests.Support;

/// <summary>A model repository in a temporary folder, filled with copies of shipped or generated model versions.</summary>
public sealed class TestModelRepository
{
    public string Root { get; } = TestPaths.CreateTemporaryFolder();

    /// <summary>
    /// Copies version 1 of a model from <paramref name="sourceRoot"/> in as <paramref name="version"/>, writing the
    /// new version number into its manifest. The files appear at once: they are written into a hidden folder, which
    /// is then renamed, as a deployment should do.
    /// </summary>
    /// <param name="edit">Changes to the copied manifest, for example to break it.</param>
    /// <returns>The new version folder.</returns>
    public string Add(string sourceRoot, string name, int version = 1, Action<JsonNode>? edit = null)
    {
        string source = Path.Combine(sourceRoot, name, "1");
        string modelFolder = Path.Combine(Root, name);
        string staging = Path.Combine(modelFolder, $".staging-{version}");
        Directory.CreateDirectory(staging);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        }

        EditManifest(staging, manifest =>
        {
            manifest["version"] = version;
            edit?.Invoke(manifest);
        });

        string target = Path.Combine(modelFolder, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.Move(staging, target);
        return target;
    }

    /// <summary>Rewrites the manifest of a version folder.</summary>
    public static void EditManifest(string versionFolder, Action<JsonNode> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        string path = Path.Combine(versionFolder, SuperResolutionModel.ManifestFileName);
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(path))!;
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
