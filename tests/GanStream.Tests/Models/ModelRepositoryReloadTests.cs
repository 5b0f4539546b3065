using GanStream.Pipeline.Models;
using GanStream.Tests.Support;

namespace GanStream.Tests.Models;

/// <summary>
/// A new version dropped into the repository replaces the current one without a restart, once it has loaded and
/// passed the checks. A replaced version stays loaded until its last lease ends.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class ModelRepositoryReloadTests
{
    private const string Name = "test-x2";
    private const int VersionRejectedEvent = 3503;

    private readonly TestModelRepository folder = new();
    private readonly ListLogger<ModelRepository> logger = new();

    [Fact]
    public void Rescan_NewVersion_BecomesCurrent()
    {
        folder.Add(TestPaths.TestModels, Name, 1);
        using ModelRepository repository = CreateRepository();
        repository.Acquire(Name).Dispose();
        folder.Add(TestPaths.TestModels, Name, 2);

        using ModelLease beforeScan = repository.Acquire(Name);
        int switched = repository.Rescan();
        using ModelLease afterScan = repository.Acquire(Name);

        Assert.Equal(1, beforeScan.Model.Manifest.Version);
        Assert.Equal(1, switched);
        Assert.Equal(2, afterScan.Model.Manifest.Version);
    }

    [Fact]
    public void Rescan_InvalidNewVersion_KeepsOldVersion()
    {
        folder.Add(TestPaths.TestModels, Name, 1);
        using ModelRepository repository = CreateRepository();
        repository.Acquire(Name).Dispose();
        double failuresBefore = LoadFailures();
        folder.Add(TestPaths.TestModels, Name, 2, manifest => manifest["input"]!["name"] = "NotTheInput");

        int switched = repository.Rescan();
        int switchedAgain = repository.Rescan();
        using ModelLease lease = repository.Acquire(Name);

        Assert.Equal(0, switched);
        Assert.Equal(0, switchedAgain);
        Assert.Equal(1, lease.Model.Manifest.Version);
        Assert.Equal(1, LoadFailures() - failuresBefore);
        string error = Assert.Single(logger.MessagesOf(VersionRejectedEvent));
        Assert.Contains($"{Name}:2", error, StringComparison.Ordinal);
        Assert.Contains("'input.name'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rescan_InvalidVersionFixedLater_SwitchesToIt()
    {
        folder.Add(TestPaths.TestModels, Name, 1);
        using ModelRepository repository = CreateRepository();
        repository.Acquire(Name).Dispose();
        string broken = folder.Add(TestPaths.TestModels, Name, 2, manifest => manifest["scaleFactor"] = 3);
        Assert.Equal(0, repository.Rescan());

        TestModelRepository.EditManifest(broken, manifest => manifest["scaleFactor"] = 2);
        int switched = repository.Rescan();
        using ModelLease lease = repository.Acquire(Name);

        Assert.Equal(1, switched);
        Assert.Equal(2, lease.Model.Manifest.Version);
    }

    [Fact]
    public void Rescan_ReplacedVersion_DisposedAfterLastLease()
    {
        folder.Add(TestPaths.TestModels, Name, 1);
        using ModelRepository repository = CreateRepository();
        ModelLease inFlight = repository.Acquire(Name);
        ModelLease secondInFlight = repository.Acquire(Name);
        SuperResolutionModel old = inFlight.Model;
        folder.Add(TestPaths.TestModels, Name, 2);

        Assert.Equal(1, repository.Rescan());
        using ModelLease next = repository.Acquire(Name);
        bool disposedWhileLeased = old.IsDisposed;
        using (ModelOutput output = old.Run(new float[3 * 4 * 4], 1, 4, 4))
        {
            Assert.Equal(8, output.Width);
        }

        inFlight.Dispose();
        bool disposedWithOneLease = old.IsDisposed;
        secondInFlight.Dispose();

        Assert.Equal(2, next.Model.Manifest.Version);
        Assert.False(disposedWhileLeased);
        Assert.False(disposedWithOneLease);
        Assert.True(old.IsDisposed);
        Assert.False(next.Model.IsDisposed);
    }

    [Fact]
    public void Acquire_NewestVersionInvalid_ServesPrevious()
    {
        folder.Add(TestPaths.TestModels, Name, 1);
        folder.Add(TestPaths.TestModels, Name, 2, manifest => manifest["output"]!["layout"] = "NHWC");
        using ModelRepository repository = CreateRepository();
        double failuresBefore = LoadFailures();

        using ModelLease lease = repository.Acquire(Name);

        Assert.Equal(1, lease.Model.Manifest.Version);
        Assert.Equal(1, LoadFailures() - failuresBefore);
        Assert.Equal(0, repository.Rescan());
        Assert.Equal(1, LoadFailures() - failuresBefore);
    }

    [Fact]
    public void Acquire_VersionNumber_ServesThatVersion()
    {
        folder.Add(TestPaths.TestModels, Name, 1);
        folder.Add(TestPaths.TestModels, Name, 2);
        using ModelRepository repository = CreateRepository();

        using ModelLease current = repository.Acquire(Name);
        using ModelLease pinned = repository.Acquire($"{Name}:1");

        Assert.Equal(2, current.Model.Manifest.Version);
        Assert.Equal(1, pinned.Model.Manifest.Version);
    }

    [Fact]
    public void Acquire_ManifestVersionNotFolder_IsRejected()
    {
        folder.Add(TestPaths.TestModels, Name, 1, manifest => manifest["version"] = 7);
        using ModelRepository repository = CreateRepository();

        var exception = Assert.Throws<ModelLoadException>(() => repository.Acquire(Name));

        Assert.Contains($"{Name}:1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'version'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rescan_NewVersion_WarmsUpWithServedSize()
    {
        folder.Add(TestPaths.TestModels, Name, 1);
        var modelLogger = new ListLogger<ModelRepository>();
        using var repository = new ModelRepository(
            new ModelRepositoryOptions { Path = folder.Root, DefaultModel = Name },
            new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu },
            modelLogger);
        using (ModelLease lease = repository.Acquire(null))
        using (lease.Model.Run(new float[3 * 36 * 48], 1, 36, 48))
        {
        }

        folder.Add(TestPaths.TestModels, Name, 2);
        repository.Rescan();

        IReadOnlyList<string> warmUps = modelLogger.MessagesOf(3502);
        Assert.Equal(2, warmUps.Count);
        Assert.Contains($"{Name}:2", warmUps[1], StringComparison.Ordinal);
        Assert.Contains("48x36 inputs (size the previous version served last)", warmUps[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunReloadLoop_NewVersion_IsPickedUp()
    {
        folder.Add(TestPaths.TestModels, Name, 1);
        using var repository = new ModelRepository(
            new ModelRepositoryOptions
            {
                Path = folder.Root,
                DefaultModel = Name,
                ReloadInterval = TimeSpan.FromMilliseconds(100),
            },
            new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu, WarmUp = false },
            logger);
        repository.Acquire(null).Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task loop = repository.RunReloadLoopAsync(stop.Token);

        folder.Add(TestPaths.TestModels, Name, 2);
        int version = 1;
        while (version == 1 && !stop.IsCancellationRequested)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            using ModelLease lease = repository.Acquire(null);
            version = lease.Model.Manifest.Version;
        }

        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(2, version);
    }

    private ModelRepository CreateRepository() => new(
        new ModelRepositoryOptions { Path = folder.Root, DefaultModel = Name },
        new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu, WarmUp = false },
        logger);

    private static double LoadFailures() => ModelMetrics.LoadFailures.WithLabels(Name).Value;
}
