using System.Globalization;

namespace GanStream.Edge.Capture;

/// <summary>Kind of camera source.</summary>
public enum CameraSourceKind
{
    File,
    Url,
    Device,
}

/// <summary>
/// A camera source as written in configuration: a video file path, an <c>rtsp://</c>, <c>http://</c> or
/// <c>https://</c> URL, or a local device index such as <c>0</c>.
/// </summary>
public sealed record CameraSourceSpec(CameraSourceKind Kind, string Location, int DeviceIndex)
{
    private static readonly string[] SupportedSchemes = ["rtsp", "rtsps", "http", "https", "rtmp", "udp", "tcp"];

    /// <summary>True for sources that produce frames in real time and cannot be paused.</summary>
    public bool IsLive => Kind != CameraSourceKind.File;

    /// <summary>Parses a source; a file must exist.</summary>
    /// <exception cref="ArgumentException">The value is empty, an unsupported URL, or a missing file.</exception>
    public static CameraSourceSpec Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        string trimmed = value.Trim();

        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int device))
        {
            return new CameraSourceSpec(CameraSourceKind.Device, trimmed, device);
        }

        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? uri) || !SupportedSchemes.Contains(uri.Scheme))
            {
                throw new ArgumentException(
                    $"Camera source '{Redact(trimmed)}' is not a supported URL; use one of {string.Join(", ", SupportedSchemes)}.");
            }

            return new CameraSourceSpec(CameraSourceKind.Url, trimmed, -1);
        }

        string fullPath = Path.GetFullPath(trimmed);
        if (Directory.Exists(fullPath))
        {
            throw new ArgumentException($"Camera source '{trimmed}' is a folder; give a video file, a URL or a device index.");
        }

        if (!File.Exists(fullPath))
        {
            throw new ArgumentException($"Camera source '{trimmed}' is not a file that exists (looked for '{fullPath}').");
        }

        return new CameraSourceSpec(CameraSourceKind.File, fullPath, -1);
    }

    /// <summary>The location with any user name and password in a URL replaced by <c>***</c>, for logs.</summary>
    public string DisplayName => Kind == CameraSourceKind.Url ? Redact(Location) : Location;

    private static string Redact(string location)
    {
        int scheme = location.IndexOf("://", StringComparison.Ordinal);
        int at = location.IndexOf('@', StringComparison.Ordinal);
        if (scheme < 0 || at < 0 || at < scheme)
        {
            return location;
        }

        return string.Concat(location.AsSpan(0, scheme + 3), "***", location.AsSpan(at));
    }
}
