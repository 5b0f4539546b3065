namespace GanStream.Pipeline.Hosting;

/// <summary>Finds folders and files that ship with the project, such as <c>models</c> and <c>samples</c>.</summary>
public static class ContentPaths
{
    /// <summary>
    /// Resolves a relative path against the working directory, then the application folder and each folder above
    /// it, so that a build output inside a source checkout finds the checkout's content. Rooted paths are returned
    /// as they are.
    /// </summary>
    /// <returns>The first existing match, or the path under the working directory when none exists.</returns>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        string fromWorkingDirectory = Path.GetFullPath(path);
        if (Exists(fromWorkingDirectory))
        {
            return fromWorkingDirectory;
        }

        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, path);
            if (Exists(candidate))
            {
                return candidate;
            }
        }

        return fromWorkingDirectory;
    }

    private static bool Exists(string path) => Directory.Exists(path) || File.Exists(path);
}
