using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace GanStream.Pipeline.Models;

/// <summary>
/// The models a service can run, read from a folder with one sub-folder per model and one per integer version
/// inside it. Versions are loaded on first use and kept until the repository is disposed.
/// </summary>
public sealed class ModelRepository : IDisposable
{
    private readonly InferenceOptions inferenceOptions;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, Lazy<SuperResolutionModel>> loaded = new(StringComparer.Ordinal);

    public ModelRepository(ModelRepositoryOptions options, InferenceOptions inferenceOptions, ILogger<ModelRepository> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inferenceOptions);
        ArgumentNullException.ThrowIfNull(logger);

        RootPath = ResolveRoot(options.Path);
        DefaultModel = options.DefaultModel;
        this.inferenceOptions = inferenceOptions;
        this.logger = logger;
    }

    /// <summary>Absolute path of the repository folder.</summary>
    public string RootPath { get; }

    public string DefaultModel { get; }

    /// <summary>Finds the folder of a model version.</summary>
    /// <param name="request"><c>name</c> (newest version), <c>name:version</c>, or null or empty for the default.</param>
    /// <exception cref="ModelLoadException">The model or version does not exist.</exception>
    public string ResolveDirectory(string? request)
    {
        string effective = string.IsNullOrWhiteSpace(request) ? DefaultModel : request.Trim();
        (string name, int? version) = ParseRequest(effective);

        string modelFolder = Path.Combine(RootPath, name);
        if (!IsSafeName(name) || !Directory.Exists(modelFolder))
        {
            throw new ModelLoadException(
                $"Model '{name}' is not in the model repository '{RootPath}' (available: {string.Join(", ", ListModels())}).");
        }

        int[] versions = ListVersions(modelFolder);
        if (versions.Length == 0)
        {
            throw new ModelLoadException($"Model '{name}' in '{RootPath}' has no version folder (1, 2, ...).");
        }

        int chosen = version ?? versions.Max();
        if (!versions.Contains(chosen))
        {
            throw new ModelLoadException(
                $"Model '{name}' has no version {chosen} in '{RootPath}' (available: {string.Join(", ", versions)}).");
        }

        return Path.Combine(modelFolder, chosen.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Returns the loaded model for a request, loading it on first use.</summary>
    /// <exception cref="ModelLoadException">The model is missing or invalid.</exception>
    public SuperResolutionModel Get(string? request)
    {
        string directory = ResolveDirectory(request);
        Lazy<SuperResolutionModel> entry = loaded.GetOrAdd(
            directory,
            path => new Lazy<SuperResolutionModel>(() => SuperResolutionModel.Load(path, inferenceOptions, logger)));

        try
        {
            return entry.Value;
        }
        catch (ModelLoadException)
        {
            // A failed load is not cached, so a fixed file is picked up by the next request.
            loaded.TryRemove(new KeyValuePair<string, Lazy<SuperResolutionModel>>(directory, entry));
            throw;
        }
    }

    /// <summary>Names of the models in the repository, sorted.</summary>
    public IReadOnlyList<string> ListModels()
    {
        if (!Directory.Exists(RootPath))
        {
            return [];
        }

        return Directory.EnumerateDirectories(RootPath)
            .Where(folder => ListVersions(folder).Length > 0)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public void Dispose()
    {
        foreach (Lazy<SuperResolutionModel> entry in loaded.Values)
        {
            if (entry.IsValueCreated)
            {
                entry.Value.Dispose();
            }
        }

        loaded.Clear();
    }

    private static int[] ListVersions(string modelFolder) =>
        Directory.EnumerateDirectories(modelFolder)
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : -1)
            .Where(v => v > 0)
            .ToArray();

    private static (string Name, int? Version) ParseRequest(string request)
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

    private static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && name[0] != '.';

    private static string ResolveRoot(string path) => Hosting.ContentPaths.Resolve(path);
}
