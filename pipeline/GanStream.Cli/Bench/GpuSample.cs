namespace GanStream.Cli.Bench;

/// <summary>One line of <c>nvidia-smi</c>: utilization in percent and memory used in MiB of one GPU.</summary>
internal readonly record struct GpuSample(DateTimeOffset Time, double UtilizationPercent, double MemoryUsedMiB);
