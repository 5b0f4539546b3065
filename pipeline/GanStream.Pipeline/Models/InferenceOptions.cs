namespace GanStream.Pipeline.Models;

/// <summary>
/// Which hardware runs the models, with how many threads, and when frames are tiled (section <c>Inference</c>).
/// </summary>
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

    /// <summary>
    /// Run each model at load time on the input shape it is expected to serve, so that the first real frame does not
    /// pay for initialisation. Default true. When false, the load still runs an 8 x 8 input (or the fixed input size)
    /// to check the output shape against the manifest.
    /// </summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// Width of the warm-up input in input pixels, usually the feature size the edges send (for example 192 for
    /// 768 x 576 frames and a 4x model). 0 (default) warms up with the size the replaced version served last, else
    /// with the manifest's tile size. Ignored when the ONNX file fixes the input size. Set with
    /// <see cref="WarmUpHeight"/>.
    /// </summary>
    public int WarmUpWidth { get; set; }

    /// <summary>Height of the warm-up input in input pixels; 0 (default) as for <see cref="WarmUpWidth"/>.</summary>
    public int WarmUpHeight { get; set; }

    /// <summary>
    /// Largest feature image, in input pixels (width x height), that a model with a dynamic input size runs in one
    /// piece. A larger frame is split into the manifest's tiles, run tile by tile and blended. Default 65,536
    /// (256 x 256): one such frame raised the peak memory of a process running esrgan-medium-x4 on ONNX Runtime's
    /// CPU provider by about 420 MB. The limit applies to each frame, so a batch of several frames needs more.
    /// </summary>
    public long MaxUntiledPixels { get; set; } = 256 * 256;

    /// <summary>Tile every frame that is larger than one tile, whatever its size. Default false.</summary>
    public bool ForceTiling { get; set; }

    /// <summary>
    /// Most images of a batch in one inference call; a larger batch runs in several calls, one after another. 0
    /// (default) chooses by execution provider. A GPU takes the whole batch, because one call over many images keeps
    /// it busy. The CPU takes 1 image, because the convolutions of one image already keep every core busy.
    /// </summary>
    public int MaxImagesPerCall { get; set; }

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin while they wait for work between calls. Spinning saves a wake-up
    /// per call, and it takes cores from whatever else runs on the machine (the edge, decoding, encoding). Default
    /// false: on 2 cores shared with an edge, the pipeline reached 84 % of the bare model's throughput without
    /// spinning and 78 % with it (one run each, <c>ganstream bench --mode hybrid</c>).
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>The number of images per call that <see cref="MaxImagesPerCall"/> gives for a provider.</summary>
    public int ImagesPerCall(string executionProvider) =>
        MaxImagesPerCall > 0 ? MaxImagesPerCall
        : executionProvider == "CPUExecutionProvider" ? 1
        : int.MaxValue;

    /// <summary>Checks the settings and throws with the name of the first invalid key.</summary>
    public void Validate()
    {
        if (DeviceId < 0)
        {
            throw new ArgumentException($"Inference:DeviceId is {DeviceId}; use 0 or a higher CUDA device index.");
        }

        if (MaxImagesPerCall < 0)
        {
            throw new ArgumentException(
                $"Inference:MaxImagesPerCall is {MaxImagesPerCall}; use 0 (chosen by execution provider) or more.");
        }

        if (IntraOpThreads < 0)
        {
            throw new ArgumentException($"Inference:IntraOpThreads is {IntraOpThreads}; use 0 (one per core) or more.");
        }

        if (MaxUntiledPixels < 1)
        {
            throw new ArgumentException(
                $"Inference:MaxUntiledPixels is {MaxUntiledPixels}; use 1 or more input pixels (width x height).");
        }

        if (WarmUpWidth is < 0 or > 65_535 || WarmUpHeight is < 0 or > 65_535 || (WarmUpWidth == 0) != (WarmUpHeight == 0))
        {
            throw new ArgumentException(
                $"Inference:WarmUpWidth and Inference:WarmUpHeight are {WarmUpWidth} and {WarmUpHeight}; set both to " +
                "1 to 65535 input pixels, or both to 0.");
        }
    }
}

/// <summary>Execution provider choice.</summary>
public enum ExecutionProviderPreference
{
    Auto,
    Cuda,
    Cpu,
}
