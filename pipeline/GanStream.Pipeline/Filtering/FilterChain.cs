using OpenCvSharp;

namespace GanStream.Pipeline.Filtering;

/// <summary>
/// The filters of one camera, cheapest first: rate, duplicate, blur. A frame is sent when no filter drops it, and
/// only then do the filters record it as the last frame sent.
/// </summary>
public sealed class FilterChain : IDisposable
{
    private readonly IFrameFilter[] filters;

    public FilterChain(FilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var list = new List<IFrameFilter>();
        if (options.MaxFramesPerSecond > 0)
        {
            list.Add(new RateLimitFilter(options.MaxFramesPerSecond));
        }

        if (options.DuplicateThreshold > 0)
        {
            list.Add(new DuplicateFilter(options.DuplicateThreshold));
        }

        if (options.BlurThreshold > 0)
        {
            list.Add(new BlurFilter(options.BlurThreshold));
        }

        filters = [.. list];
    }

    /// <summary>Names of the active filters, in the order they run.</summary>
    public IReadOnlyList<string> FilterNames => filters.Select(f => f.Name).ToArray();

    /// <summary>Runs the filters on a frame.</summary>
    /// <returns>The name of the filter that dropped the frame, or null when the frame is to be sent.</returns>
    public string? Evaluate(Mat image, TimeSpan mediaTime)
    {
        using var analysis = new FrameAnalysis(image, mediaTime);
        foreach (IFrameFilter filter in filters)
        {
            if (filter.ShouldDrop(analysis))
            {
                return filter.Name;
            }
        }

        foreach (IFrameFilter filter in filters)
        {
            filter.OnAccepted(analysis);
        }

        return null;
    }

    public void Dispose()
    {
        foreach (IDisposable filter in filters.OfType<IDisposable>())
        {
            filter.Dispose();
        }
    }
}
