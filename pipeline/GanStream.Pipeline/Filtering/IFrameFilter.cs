namespace GanStream.Pipeline.Filtering;

/// <summary>One frame filter of a camera. Filters keep per-camera state and are used by one thread.</summary>
public interface IFrameFilter
{
    /// <summary>Name used as the metric label and in the run summary, for example <c>blur</c>.</summary>
    string Name { get; }

    /// <summary>Decides whether to drop a frame, without changing the filter's state.</summary>
    bool ShouldDrop(FrameAnalysis frame);

    /// <summary>Records a frame that every filter let through, for filters that compare with the last one sent.</summary>
    void OnAccepted(FrameAnalysis frame);
}
