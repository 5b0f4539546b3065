namespace GanStream.Cli.Bench;

/// <summary>Cumulative CPU seconds of one process at one moment.</summary>
internal readonly record struct CpuSample(DateTimeOffset Time, double CpuSeconds);
