using OpenCvSharp;

namespace GanStream.Edge.Capture;

/// <summary>Checks a frame read from a source before it is converted and queued.</summary>
internal static class FrameChecks
{
    /// <summary>Finds why a frame cannot be used.</summary>
    /// <returns>A bounded reason and a description, or null when the frame is usable.</returns>
    public static (string Reason, string Detail)? FindProblem(Mat frame, CaptureOptions limits)
    {
        if (frame.Empty())
        {
            return ("empty-frame", "the source returned an empty image");
        }

        if (frame.Width > limits.MaxFrameWidth || frame.Height > limits.MaxFrameHeight)
        {
            string limit = $"{limits.MaxFrameWidth}x{limits.MaxFrameHeight}";
            return (
                "frame-too-large",
                $"{frame.Width}x{frame.Height} pixels is over the limit of {limit} (Edge:Capture:MaxFrameWidth and MaxFrameHeight)");
        }

        int channels = frame.Channels();
        if (channels is not (1 or 3 or 4))
        {
            return ("unsupported-format", $"the frame has {channels} channels; 1, 3 or 4 are supported");
        }

        return null;
    }
}
