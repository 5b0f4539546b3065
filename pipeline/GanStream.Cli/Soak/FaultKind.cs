namespace GanStream.Cli.Soak;

/// <summary>Faults the soak run injects into the embedded cluster and the features topic.</summary>
internal enum FaultKind
{
    /// <summary>The broker is taken down for a few seconds, then brought back.</summary>
    BrokerDown,

    /// <summary>The next Produce and Fetch requests fail with retriable errors.</summary>
    RequestErrors,

    /// <summary>The broker adds a round-trip time of up to two seconds to every response for a while.</summary>
    RoundTripSpike,

    /// <summary>Messages that are not valid requests are written to the features topic.</summary>
    CorruptMessages,
}
