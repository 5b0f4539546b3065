namespace GanStream.Pipeline.Transport;

/// <summary>
/// An emulated network link between edge and cloud (section <c>Link</c>), applied by the edge and cloud producers
/// so that deployment modes can be compared under a camera uplink on one machine. Reports label it as emulation.
/// All values 0 (the default) leave the link as it is.
/// </summary>
public sealed class LinkOptions
{
    public const string SectionName = "Link";

    /// <summary>Edge-to-cloud bandwidth in megabits per second; 0 is unlimited.</summary>
    public double UplinkMbps { get; set; }

    /// <summary>Cloud-to-edge bandwidth in megabits per second; 0 is unlimited.</summary>
    public double DownlinkMbps { get; set; }

    /// <summary>Round-trip time in milliseconds; each direction adds half of it.</summary>
    public double RoundTripMs { get; set; }

    /// <summary>Largest random extra delay per message in milliseconds, uniform from 0; messages stay in order.</summary>
    public double JitterMs { get; set; }

    /// <summary>Seed of the jitter, so that runs are repeatable.</summary>
    public int Seed { get; set; } = 1;

    public bool IsEnabled => UplinkMbps > 0 || DownlinkMbps > 0 || RoundTripMs > 0 || JitterMs > 0;

    /// <summary>A short description for reports, for example "emulated link: 20 Mbit/s up, 30 ms RTT".</summary>
    public string Describe()
    {
        if (!IsEnabled)
        {
            return "no link emulation";
        }

        var parts = new List<string>();
        if (UplinkMbps > 0)
        {
            parts.Add(FormattableString.Invariant($"{UplinkMbps:G4} Mbit/s up"));
        }

        if (DownlinkMbps > 0)
        {
            parts.Add(FormattableString.Invariant($"{DownlinkMbps:G4} Mbit/s down"));
        }

        if (RoundTripMs > 0)
        {
            parts.Add(FormattableString.Invariant($"{RoundTripMs:G4} ms RTT"));
        }

        if (JitterMs > 0)
        {
            parts.Add(FormattableString.Invariant($"{JitterMs:G4} ms jitter"));
        }

        return "emulated link: " + string.Join(", ", parts);
    }

    public void Validate()
    {
        if (UplinkMbps < 0 || DownlinkMbps < 0 || RoundTripMs < 0 || JitterMs < 0)
        {
            throw new ArgumentException("Link:UplinkMbps, DownlinkMbps, RoundTripMs and JitterMs must be 0 (off) or positive.");
        }
    }
}
