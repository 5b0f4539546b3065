using System.Globalization;
using System.Security.Cryptography;

namespace GanStream.Pipeline.Models;

/// <summary>Reads the folder structure of a model repository: model folders, version folders and requests.</summary>
internal static class RepositoryFolders
{
    /// <summary>Numbers of the integer version folders of a model folder, unsorted, or empty when there are none.</summary>
    public static int[] ListVersions(string modelFolder) =>
        Directory.EnumerateDirectories(modelFolder)
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : -1)
            .Where(v => v > 0)
            .ToArray();

    /// <summary>Splits <c>name</c> or <c>name:version</c>.</summary>
    /// <exception cref="ModelLoadException">The version is not an integer of 1 or more.</exception>
    public static (string Name, int? Version) ParseRequest(string request)
    {
        int colon = request.LastIndexOf(':');
        if (colon < 0)
        {
            return (request, null);
        }

        string versionText = request[(colon + 1)..];
        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
        {
            throw new ModelLoadException($"Model request '{request}' is invalid; use 'name' or 'name:version' with a version of 1 or more.");
        }

        return (request[..colon], version);
    }

    /// <summary>Whether a model name is a plain folder name, so that a request cannot leave the repository.</summary>
    public static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && name[0] != '.';

    /// <summary>Version number of a version folder path.</summary>
    public static int VersionOf(string versionFolder) =>
        int.Parse(Path.GetFileName(versionFolder), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>
    /// A value that changes when a version's files change: the SHA-256 of the manifest, and the size and modification
    /// time of the ONNX file. A version that failed to load is tried again only after a change.
    /// </summary>
    public static string Fingerprint(string versionFolder)
    {
        try
        {
            string manifestPath = Path.Combine(versionFolder, SuperResolutionModel.ManifestFileName);
            string manifest = File.Exists(manifestPath)
                ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(manifestPath)))
                : "missing";
            var model = new FileInfo(Path.Combine(versionFolder, SuperResolutionModel.ModelFileName));
            string onnx = model.Exists
                ? string.Create(CultureInfo.InvariantCulture, $"{model.Length}@{model.LastWriteTimeUtc.Ticks}")
                : "missing";
            return $"{manifest};{onnx}";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // An unreadable version gets a fingerprint of its own, so the load is tried and reports the error.
            return $"unreadable: {exception.Message}";
        }
    }
}
