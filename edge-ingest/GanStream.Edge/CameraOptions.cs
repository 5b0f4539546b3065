using GanStream.Pipeline.Messaging;

namespace GanStream.Edge;

/// <summary>One camera of an edge (an item of <c>Edge:Cameras</c>).</summary>
public sealed class CameraOptions
{
    /// <summary>Camera id: the Kafka message key, a metric label and a file name. See <see cref="CameraIds"/>.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Video file path, <c>rtsp://</c> or <c>http(s)://</c> URL, or device index such as <c>0</c>.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>
    /// Read a file at its own frame rate, as a camera would deliver it, instead of as fast as the pipeline takes
    /// frames. Default false.
    /// </summary>
    public bool RealTime { get; set; }

    /// <summary>Stop after reading this many frames; 0 (default) reads until the source ends.</summary>
    public long MaxFrames { get; set; }

    /// <summary>
    /// Read a file again from its start each time it ends, until the edge stops or <see cref="MaxFrames"/> is
    /// reached, for long runs on a short clip. Ignored for live sources. Default false.
    /// </summary>
    public bool Loop { get; set; }

    public void Validate()
    {
        if (!CameraIds.IsValid(Id))
        {
            throw new ArgumentException(
                $"Edge:Cameras Id '{Id}' is invalid; use 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'.");
        }

        if (MaxFrames < 0)
        {
            throw new ArgumentException($"Edge:Cameras '{Id}' has MaxFrames {MaxFrames}; use 0 (no limit) or more.");
        }

        if (string.IsNullOrWhiteSpace(Source))
        {
            throw new ArgumentException($"Edge:Cameras '{Id}' has no Source; give a file path, a URL or a device index.");
        }
    }
}
