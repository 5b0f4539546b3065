using System.Reflection;
using System.Runtime.InteropServices;

namespace GanStream.Pipeline.Kafka.Embedded;

/// <summary>
/// Resolves the native librdkafka that Confluent.Kafka loaded, so that direct P/Invoke calls into the mock
/// cluster API reach the same copy of the library instead of loading a second one.
/// </summary>
internal static class LibrdkafkaLocator
{
    internal const string ImportName = "ganstream-librdkafka";

    private static readonly Lock Gate = new();
    private static IntPtr handle;
    private static bool registered;

    /// <summary>Registers the import resolver for this assembly once; later calls do nothing.</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (registered)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaLocator).Assembly, Resolve);
            registered = true;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != ImportName)
        {
            return IntPtr.Zero;
        }

        lock (Gate)
        {
            if (handle == IntPtr.Zero)
            {
                handle = LoadConfluentCopy();
            }

            return handle;
        }
    }

    private static IntPtr LoadConfluentCopy()
    {
        // Reading the version makes Confluent.Kafka load its native library, which picks the build that
        // works on this system (on Debian, the centos8 build, because the default one needs libsasl2.so.3).
        _ = Confluent.Kafka.Library.Version;

        string? loadedPath = FindMappedLibrary("librdkafka");
        if (loadedPath is not null)
        {
            return NativeLibrary.Load(loadedPath);
        }

        if (NativeLibrary.TryLoad("librdkafka", typeof(LibrdkafkaLocator).Assembly, null, out IntPtr fallback))
        {
            return fallback;
        }

        throw new DllNotFoundException(
            "librdkafka is not loaded and could not be found; the embedded Kafka broker needs the native " +
            "library from the librdkafka.redist package next to the application.");
    }

    /// <summary>Finds the path of a loaded shared object whose file name contains <paramref name="namePart"/>.</summary>
    private static string? FindMappedLibrary(string namePart)
    {
        const string MapsPath = "/proc/self/maps";
        if (!File.Exists(MapsPath))
        {
            return null;
        }

        foreach (string line in File.ReadLines(MapsPath))
        {
            int pathStart = line.IndexOf('/', StringComparison.Ordinal);
            if (pathStart < 0)
            {
                continue;
            }

            string path = line[pathStart..];
            if (Path.GetFileName(path).Contains(namePart, StringComparison.Ordinal) && File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
