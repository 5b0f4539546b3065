namespace GanStream.Pipeline.Gpu;

/// <summary>Utilization and memory of one GPU at one moment.</summary>
/// <param name="Index">NVML device index, 0 for the first GPU.</param>
/// <param name="Name">Product name, for example "NVIDIA H200".</param>
/// <param name="UtilizationRatio">Fraction of the last sample period in which a kernel ran, 0 to 1.</param>
/// <param name="MemoryUsedBytes">Device memory allocated, in bytes.</param>
/// <param name="MemoryTotalBytes">Device memory installed, in bytes.</param>
public sealed record GpuSample(
    int Index,
    string Name,
    double UtilizationRatio,
    ulong MemoryUsedBytes,
    ulong MemoryTotalBytes);
