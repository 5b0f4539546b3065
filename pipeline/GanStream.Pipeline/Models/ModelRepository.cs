using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace GanStream.Pipeline.Models;

/// <summary>
/// The models a service can run, read from a folder with one sub-folder per model and one per integer version
/// inside it. Versions are loaded on first use. A request that names no version gets the model's current version:
/// the newest one that loaded when the model was first used, replaced by a newer one that <see cref="Rescan"/>
/// finds and loads. A replaced version is unloaded when the last <see cref="ModelLease"/> on it is disposed.
/// </summary>
public sealed class ModelRepository : IDisposable
{
    private readonly InferenceOptions inferenceOptions;
    private readonly TimeSpan reloadInterval;
    private readonly ILogger logger;

    // Loaded versions by folder. Each holds the repository's reference until it is replaced or the repository is
    // disposed.
    private readonly ConcurrentDictionary<string, Lazy<LoadedModelVersion>> loaded = new(StringComparer.Ordinal);

    // Folder of the current version of each model that requests without a version have used.
    private readonly ConcurrentDictionary<string, string> current = new(StringComparer.Ordinal);

    // Version folders that failed to load, with the fingerprint their files had then. A scan retries them after a
    // change.
    private readonly ConcurrentDictionary<string, (string Fingerprint, string Error)> rejected =
        new(StringComparer.Ordinal);

    // Last scan error of each model, so that a lasting problem is logged once rather than at every scan.
    private readonly Dictionary<string, string> scanErrors = new(StringComparer.Ordinal);
    private readonly Lock scanLock = new();
    private int reloading;
    private volatile bool disposed;

    public ModelRepository(
        ModelRepositoryOptions options,
        InferenceOptions inferenceOptions,
        ILogger<ModelRepository> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inferenceOptions);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        inferenceOptions.Validate();

        RootPath = ResolveRoot(options.Path);
        DefaultModel = options.DefaultModel;
        reloadInterval = options.ReloadInterval;
        this.inferenceOptions = inferenceOptions;
        this.logger = logger;
    }

    /// <summary>Absolute path of the repository folder.</summary>
    public string RootPath { get; }

    public string DefaultModel { get; }

    /// <summary>Finds the folder of a model version on disk, without loading it.</summary>
    /// <param name="request"><c>name</c> (newest version), <c>name:version</c>, or null or empty for the default.</param>
    /// <exception cref="ModelLoadException">The model or version does not exist.</exception>
    public string ResolveDirectory(string? request)
    {
        (string name, int? version) = Parse(request);
        int[] versions = ListVersionsOf(name);
        int chosen = version ?? versions.Max();
        if (!versions.Contains(chosen))
        {
            string available = string.Join(", ", versions.Order());
            throw new ModelLoadException($"Model '{name}' has no version {chosen} in '{RootPath}' (available: {available}).");
        }

        return VersionFolder(name, chosen);
    }

    /// <summary>
    /// Leases the model for a request, loading it on first use. Dispose the lease when the request is done.
    /// </summary>
    /// <param name="request"><c>name</c> (current version), <c>name:version</c>, or null or empty for the default.</param>
    /// <exception cref="ModelLoadException">The model is missing, or no version of it loads.</exception>
    public ModelLease Acquire(string? request)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        (string name, int? version) = Parse(request);
        if (version is { } pinned)
        {
            return LeaseVersion(name, pinned);
        }

        while (true)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            string folder = current.TryGetValue(name, out string? known) ? known : LoadNewestValid(name);

            // A scan may replace and unload that version in the meantime, and then the next pass finds its successor.
            if (loaded.TryGetValue(folder, out Lazy<LoadedModelVersion>? entry) && entry.Value.TryLease() is { } lease)
            {
                return lease;
            }
        }
    }

    /// <summary>
    /// Looks for a newer version of every model that requests without a version have used. A newer version is
    /// loaded and checked before it replaces the current one. When it fails, the current version stays, the error
    /// is logged and counted in <c>ganstream_model_load_failures_total</c>, and the version is tried again only
    /// after its files change.
    /// </summary>
    /// <returns>The number of models that switched to a new version.</returns>
    public int Rescan()
    {
        lock (scanLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            int switched = 0;
            foreach ((string name, string folder) in current.ToArray())
            {
                try
                {
                    switched += SwitchToNewest(name, folder) ? 1 : 0;
                    scanErrors.Remove(name);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ModelLoadException)
                {
                    // The current version keeps serving, so a problem that lasts is logged once.
                    if (!scanErrors.TryGetValue(name, out string? last) || last != exception.Message)
                    {
                        scanErrors[name] = exception.Message;
                        ModelLog.ScanFailed(logger, name, RootPath, exception.Message);
                    }
                }
            }

            return switched;
        }
    }

    /// <summary>
    /// Calls <see cref="Rescan"/> every <see cref="ModelRepositoryOptions.ReloadInterval"/> until cancelled. Returns
    /// at once when the interval is zero or another loop already runs for this repository.
    /// </summary>
    public async Task RunReloadLoopAsync(CancellationToken cancellationToken)
    {
        if (reloadInterval == TimeSpan.Zero || Interlocked.Exchange(ref reloading, 1) == 1)
        {
            return;
        }

        ModelLog.ReloadStarted(logger, RootPath, reloadInterval);
        try
        {
            using var timer = new PeriodicTimer(reloadInterval);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // NOTE: loading a version cannot be cancelled, so a stop waits for a load in progress.
                Rescan();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is not an error.
        }
        catch (ObjectDisposedException) when (disposed)
        {
            // The repository was disposed before the loop was cancelled.
        }
        finally
        {
            Volatile.Write(ref reloading, 0);
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
            .Where(folder => RepositoryFolders.ListVersions(folder).Length > 0)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Releases the repository's references. A version is unloaded now, or when its last outstanding lease is
    /// disposed.
    /// </summary>
    public void Dispose()
    {
        disposed = true;
        lock (scanLock)
        {
            foreach (string folder in loaded.Keys)
            {
                Unload(folder);
            }

            current.Clear();
        }
    }

    /// <summary>Loads the newest version of a model that passes the checks and makes it the current one.</summary>
    private string LoadNewestValid(string name)
    {
        ModelLoadException? newestError = null;
        foreach (int version in ListVersionsOf(name).OrderDescending())
        {
            string folder = VersionFolder(name, version);
            try
            {
                LoadVersion(folder, null);
                return current.GetOrAdd(name, folder);
            }
            catch (ModelLoadException exception)
            {
                newestError ??= exception;
            }
        }

        throw newestError ?? new ModelLoadException($"Model '{name}' in '{RootPath}' has no version folder (1, 2, ...).");
    }

    /// <returns>True when the model switched to a newer version.</returns>
    private bool SwitchToNewest(string name, string folder)
    {
        int currentVersion = RepositoryFolders.VersionOf(folder);
        int newest = ListVersionsOf(name).Max();
        if (newest <= currentVersion)
        {
            return false;
        }

        string newFolder = VersionFolder(name, newest);
        if (rejected.TryGetValue(newFolder, out var failure) && failure.Fingerprint == RepositoryFolders.Fingerprint(newFolder))
        {
            return false;
        }

        (int Height, int Width)? lastSize =
            loaded.TryGetValue(folder, out Lazy<LoadedModelVersion>? old) && old.IsValueCreated
                ? old.Value.Model.LastInputSize
                : null;
        try
        {
            LoadVersion(newFolder, lastSize);
        }
        catch (ModelLoadException)
        {
            // LoadVersion logged and counted the failure, and the current version keeps serving.
            return false;
        }

        current[name] = newFolder;
        Unload(folder);
        ModelLog.VersionSwitched(logger, name, newest, currentVersion);
        return true;
    }

    /// <summary>
    /// Returns the loaded version in a folder, loading and checking it when it is not loaded. A failure is logged
    /// and counted once. Until the folder's files change, the same error is raised without loading again.
    /// </summary>
    private LoadedModelVersion LoadVersion(string folder, (int Height, int Width)? previousInputSize)
    {
        if (loaded.TryGetValue(folder, out Lazy<LoadedModelVersion>? existing) && existing.IsValueCreated)
        {
            return existing.Value;
        }

        string fingerprint = RepositoryFolders.Fingerprint(folder);
        if (rejected.TryGetValue(folder, out var failure) && failure.Fingerprint == fingerprint)
        {
            throw new ModelLoadException(failure.Error);
        }

        Lazy<LoadedModelVersion> entry = loaded.GetOrAdd(
            folder,
            path => new Lazy<LoadedModelVersion>(() => new LoadedModelVersion(Load(path, previousInputSize), logger)));

        try
        {
            LoadedModelVersion version = entry.Value;
            rejected.TryRemove(folder, out _);
            return version;
        }
        catch (ModelLoadException exception)
        {
            // Of the threads that waited for this load, the one that removes the entry reports the failure.
            if (loaded.TryRemove(new KeyValuePair<string, Lazy<LoadedModelVersion>>(folder, entry)))
            {
                rejected[folder] = (fingerprint, exception.Message);
                string name = Path.GetFileName(Path.GetDirectoryName(folder))!;
                ModelMetrics.LoadFailures.WithLabels(name).Inc();
                ModelLog.VersionRejected(logger, name, RepositoryFolders.VersionOf(folder), folder, exception.Message);
            }

            throw;
        }
    }

    /// <summary>Leases a version by number, loading it when it is not loaded.</summary>
    private ModelLease LeaseVersion(string name, int version)
    {
        while (true)
        {
            // The folder is looked up on disk only when the version is not loaded.
            LoadedModelVersion loadedVersion =
                RepositoryFolders.IsSafeName(name) &&
                loaded.TryGetValue(VersionFolder(name, version), out Lazy<LoadedModelVersion>? entry) &&
                entry.IsValueCreated
                    ? entry.Value
                    : LoadVersion(ResolveDirectory($"{name}:{version}"), null);

            // A scan may have unloaded the version in the meantime, and then the next pass loads it again.
            if (loadedVersion.TryLease() is { } lease)
            {
                return lease;
            }
        }
    }

    /// <summary>Loads a version folder and checks that its manifest names the folders it is in.</summary>
    /// <exception cref="ModelLoadException">The version is invalid, or its files cannot be read.</exception>
    private SuperResolutionModel Load(string folder, (int Height, int Width)? previousInputSize)
    {
        string name = Path.GetFileName(Path.GetDirectoryName(folder))!;
        int version = RepositoryFolders.VersionOf(folder);
        SuperResolutionModel model;
        try
        {
            model = SuperResolutionModel.Load(folder, inferenceOptions, logger, previousInputSize);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"Model {name}:{version}: reading '{folder}' failed: {exception.Message}", exception);
        }

        string? problem = null;
        if (!string.Equals(model.Manifest.Name, name, StringComparison.Ordinal))
        {
            problem = $"manifest field 'name' is '{model.Manifest.Name}' but the model folder is '{name}'";
        }
        else if (model.Manifest.Version != version)
        {
            problem = $"manifest field 'version' is {model.Manifest.Version} but the version folder is {version}";
        }

        if (problem is null)
        {
            return model;
        }

        model.Dispose();
        throw new ModelLoadException($"Model {name}:{version}: {problem}.");
    }

    /// <summary>Removes a version from the repository and drops the repository's reference to it.</summary>
    private void Unload(string folder)
    {
        if (loaded.TryRemove(folder, out Lazy<LoadedModelVersion>? entry) && entry.IsValueCreated)
        {
            entry.Value.Release();
        }
    }

    private (string Name, int? Version) Parse(string? request)
    {
        string effective = string.IsNullOrWhiteSpace(request) ? DefaultModel : request.Trim();
        return RepositoryFolders.ParseRequest(effective);
    }

    /// <exception cref="ModelLoadException">The model is not in the repository or has no version folder.</exception>
    private int[] ListVersionsOf(string name)
    {
        string modelFolder = Path.Combine(RootPath, name);
        if (!RepositoryFolders.IsSafeName(name) || !Directory.Exists(modelFolder))
        {
            throw new ModelLoadException(
                $"Model '{name}' is not in the model repository '{RootPath}' (available: {string.Join(", ", ListModels())}).");
        }

        int[] versions = RepositoryFolders.ListVersions(modelFolder);
        if (versions.Length == 0)
        {
            throw new ModelLoadException($"Model '{name}' in '{RootPath}' has no version folder (1, 2, ...).");
        }

        return versions;
    }

    private string VersionFolder(string name, int version) =>
        Path.Combine(RootPath, name, version.ToString(CultureInfo.InvariantCulture));

    private static string ResolveRoot(string path) => Hosting.ContentPaths.Resolve(path);
}
