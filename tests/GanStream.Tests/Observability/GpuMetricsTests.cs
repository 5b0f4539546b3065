using System.Text;
using GanStream.Pipeline.Gpu;
using GanStream.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace GanStream.Tests.Observability;

[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class GpuMetricsTests
{
    [Fact]
    public void DecodeString_NulTerminatedBuffer_StopsAtNul()
    {
        byte[] buffer = new byte[96];
        Encoding.UTF8.GetBytes("NVIDIA H200").CopyTo(buffer, 0);
        buffer[40] = (byte)'x';

        Assert.Equal("NVIDIA H200", NvmlText.DecodeString(buffer));
    }

    [Fact]
    public void DecodeString_NoNul_ReadsWholeBuffer()
    {
        Assert.Equal("Tesla T4", NvmlText.DecodeString(Encoding.UTF8.GetBytes("Tesla T4  ")));
    }

    [Theory]
    [InlineData(0u, 0.0)]
    [InlineData(37u, 0.37)]
    [InlineData(100u, 1.0)]
    [InlineData(250u, 1.0)]
    public void PercentToRatio_Percent_ReturnsRatio(uint percent, double expected)
    {
        Assert.Equal(expected, NvmlText.PercentToRatio(percent), 6);
    }

    [Fact]
    public async Task Update_GpuGone_RemovesItsSeries()
    {
        var registry = Metrics.NewCustomRegistry();
        IReadOnlyList<GpuSample> samples =
        [
            new GpuSample(0, "NVIDIA H200", 0.5, 1024UL * 1024 * 1024, 141UL * 1024 * 1024 * 1024),
            new GpuSample(1, "NVIDIA H200", 0.25, 2048, 4096),
        ];
        _ = new GpuMetrics(registry, _ => samples, NullLogger.Instance);

        string first = await CollectAsync(registry);
        samples = [samples[0]];
        string second = await CollectAsync(registry);

        Assert.Contains("ganstream_gpu_utilization_ratio{gpu=\"0\",name=\"NVIDIA H200\"} 0.5", first, StringComparison.Ordinal);
        Assert.Contains("ganstream_gpu_memory_total_bytes{gpu=\"0\",name=\"NVIDIA H200\"} 151397597184", first, StringComparison.Ordinal);
        Assert.Contains("ganstream_gpu_memory_used_bytes{gpu=\"1\",name=\"NVIDIA H200\"} 2048", first, StringComparison.Ordinal);
        Assert.DoesNotContain("gpu=\"1\"", second, StringComparison.Ordinal);
        Assert.Contains("gpu=\"0\"", second, StringComparison.Ordinal);
    }

    [Fact]
    public void StartOnce_NoNvidiaDriver_ExportsNothing()
    {
        if (System.Runtime.InteropServices.NativeLibrary.TryLoad("libnvidia-ml.so.1", out IntPtr handle))
        {
            System.Runtime.InteropServices.NativeLibrary.Free(handle);
            Assert.Skip("This machine has the NVIDIA driver, so the path without it cannot be tested here.");
        }

        Assert.False(GpuMetrics.StartOnce(NullLogger.Instance));
        Assert.False(GpuMetrics.StartOnce(NullLogger.Instance));
    }

    private static async Task<string> CollectAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
