namespace GanStream.Pipeline.Models;

/// <summary>Which hardware runs the models, and with how many threads (section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>
    /// <c>Auto</c> (default) uses CUDA when a GPU and its libraries are present and falls back to the CPU with a
    /// warning; <c>Cuda</c> fails when CUDA is unavailable; <c>Cpu</c> never tries CUDA.
    /// </summary>
    public ExecutionProviderPreference ExecutionProvider { get; set; } = ExecutionProviderPreference.Auto;

    /// <summary>CUDA device index. Default 0.</summary>
    public int DeviceId { get; set; }

    /// <summary>Threads of one inference call on the CPU; 0 (default) lets ONNX Runtime use one per physical core.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Run each model once at load time so that the first real frame does not pay for initialisation.</summary>
    public bool WarmUp { get; set; } = true;
}

/// <summary>Execution provider choice.</summary>
public enum ExecutionProviderPreference
{
    Auto,
    Cuda,
    Cpu,
}
