using GanStream.Pipeline.Models;
using GanStream.Pipeline.Transport;

namespace GanStream.Cli.Bench;

/// <summary>What one <c>ganstream bench</c> run measures and how.</summary>
internal sealed class BenchSettings
{
    /// <summary>Video file streamed by every mode.</summary>
    public required string Input { get; init; }

    /// <summary>Folder that receives the report, created if missing.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Folder of the model repository.</summary>
    public required string ModelRepository { get; init; }

    /// <summary>Modes to run, in order; values of <see cref="BenchModes"/>.</summary>
    public IReadOnlyList<string> Modes { get; init; } = BenchModes.All;

    /// <summary>Frames read from the clip at the saturation load point, and frames of the ONNX Runtime baseline.</summary>
    public int Frames { get; init; } = 60;

    /// <summary>Frames to send at the latency load point.</summary>
    public int LatencyFrames { get; init; } = 30;

    /// <summary>Rate of the latency load point in frames per second; null uses half the mode's saturation rate.</summary>
    public double? LatencyFramesPerSecond { get; init; }

    /// <summary>Model of the cloud worker (hybrid and cloud-only) and of the baseline.</summary>
    public string Model { get; init; } = "esrgan-medium-x4";

    /// <summary>Model of the edge in edge-only mode; null leaves the edge's default.</summary>
    public string? EdgeModel { get; init; }

    /// <summary>Most frames per inference call of the worker (<c>Cloud:MaxBatchSize</c>) and of the baseline.</summary>
    public int MaxBatch { get; init; } = 4;

    public ExecutionProviderPreference ExecutionProvider { get; init; } = ExecutionProviderPreference.Auto;

    /// <summary>CPU threads per inference call; 0 lets ONNX Runtime choose.</summary>
    public int Threads { get; init; }

    /// <summary>Inception-v3 ONNX file for IS and FID, or null to leave them not computed.</summary>
    public string? InceptionPath { get; init; }

    /// <summary>Link emulation passed to the edge and the cloud.</summary>
    public LinkOptions Link { get; init; } = new();

    /// <summary>Skip the image quality scores, which take a ResNet-18 pass over every frame.</summary>
    public bool SkipQuality { get; init; }

    /// <summary>The command line, for the report.</summary>
    public string CommandLine { get; init; } = "ganstream bench";

    /// <summary>The command that starts <c>ganstream</c> for the child processes.</summary>
    public (string FileName, IReadOnlyList<string> Prefix) Program { get; init; } = ChildProcess.CurrentProgram();

    /// <summary>Interval of the CPU samples.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
