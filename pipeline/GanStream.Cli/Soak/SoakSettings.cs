namespace GanStream.Cli.Soak;

/// <summary>What a soak run does and for how long.</summary>
/// <param name="Duration">Time the pipeline runs under load before it is stopped.</param>
/// <param name="Seed">Seed of the fault generator; the same seed picks the same faults in the same order.</param>
/// <param name="FaultInterval">Time between the starts of two faults; each fault lasts at most half of it.</param>
/// <param name="ReportInterval">Time between two rows of the table.</param>
internal sealed record SoakSettings(TimeSpan Duration, int Seed, TimeSpan FaultInterval, TimeSpan ReportInterval);
