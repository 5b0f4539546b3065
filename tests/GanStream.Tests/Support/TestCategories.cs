namespace GanStream.Tests.Support;

/// <summary>
/// Values of the <c>Category</c> trait. <c>dotnet test --filter Category=Unit</c> runs the fast tests alone; the
/// others need a broker, real video, a model run, Prometheus and promtool (<c>Ops</c>), or inject faults.
/// </summary>
public static class TestCategories
{
    public const string Name = "Category";
    public const string Unit = "Unit";
    public const string Model = "Model";
    public const string Video = "Video";
    public const string Broker = "Broker";
    public const string EndToEnd = "EndToEnd";

    /// <summary>Tests that run Prometheus or promtool, which <c>ops/install-deps.sh --test</c> installs.</summary>
    public const string Ops = "Ops";

    /// <summary>Image quality metrics; these tests also carry <see cref="Unit"/> or <see cref="Model"/>.</summary>
    public const string Quality = "Quality";

    /// <summary>Injects a fault (broker outage, killed process, lost camera, signal) and checks what survives it.</summary>
    public const string Fault = "Fault";
}
