namespace GanStream.Cli.Hosting;

/// <summary>
/// The output folder of a run, created before anything starts and locked so that two runs cannot write into it at
/// the same time. Disposing releases the lock and removes the folder again when the run created it and left it empty.
/// </summary>
internal sealed class OutputFolder : IDisposable
{
    private const string LockFileName = ".ganstream-run.lock";

    private readonly FileStream lockFile;
    private readonly bool created;

    private OutputFolder(string path, FileStream lockFile, bool created)
    {
        Path = path;
        this.lockFile = lockFile;
        this.created = created;
    }

    public string Path { get; }

    /// <summary>Creates and locks the folder.</summary>
    /// <exception cref="CliException">The folder cannot be created, is a file, or another run holds it.</exception>
    public static OutputFolder Open(string path, string option)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        if (File.Exists(fullPath))
        {
            throw new CliException($"{option}: '{fullPath}' is a file; give a folder for the output.");
        }

        bool created = !Directory.Exists(fullPath);
        try
        {
            Directory.CreateDirectory(fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option}: cannot create the folder '{fullPath}': {exception.Message}", exception);
        }

        string lockPath = System.IO.Path.Combine(fullPath, LockFileName);
        try
        {
            var lockFile = new FileStream(lockPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return new OutputFolder(fullPath, lockFile, created);
        }
        catch (IOException exception)
        {
            throw new CliException(
                $"{option}: the folder '{fullPath}' is in use by another run (lock file {LockFileName}); wait for it " +
                "or give another folder.",
                exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new CliException($"{option}: the folder '{fullPath}' is not writable: {exception.Message}", exception);
        }
    }

    public void Dispose()
    {
        lockFile.Dispose();
        if (created && Directory.Exists(Path) && !Directory.EnumerateFileSystemEntries(Path).Any())
        {
            Directory.Delete(Path);
        }
    }
}
