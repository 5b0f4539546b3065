using System.Runtime.InteropServices;

namespace GanStream.Pipeline.Gpu;

/// <summary>
/// The NVIDIA Management Library (<c>libnvidia-ml.so.1</c>, installed with the NVIDIA driver), bound at run time so
/// that a machine without it only loses the GPU metrics. Thread-safe, as NVML is.
/// </summary>
internal sealed unsafe class NvmlLibrary : IDisposable
{
    private const int Success = 0;
    private const int NameBufferSize = 96;

    private readonly IntPtr handle;
    private readonly delegate* unmanaged<int> shutdown;
    private readonly delegate* unmanaged<uint*, int> getCount;
    private readonly delegate* unmanaged<uint, IntPtr*, int> getHandleByIndex;
    private readonly delegate* unmanaged<IntPtr, byte*, uint, int> getName;
    private readonly delegate* unmanaged<IntPtr, Utilization*, int> getUtilization;
    private readonly delegate* unmanaged<IntPtr, Memory*, int> getMemory;
    private int disposed;

    private NvmlLibrary(IntPtr handle)
    {
        this.handle = handle;
        shutdown = (delegate* unmanaged<int>)Export("nvmlShutdown");
        getCount = (delegate* unmanaged<uint*, int>)Export("nvmlDeviceGetCount_v2");
        getHandleByIndex = (delegate* unmanaged<uint, IntPtr*, int>)Export("nvmlDeviceGetHandleByIndex_v2");
        getName = (delegate* unmanaged<IntPtr, byte*, uint, int>)Export("nvmlDeviceGetName");
        getUtilization = (delegate* unmanaged<IntPtr, Utilization*, int>)Export("nvmlDeviceGetUtilizationRates");
        getMemory = (delegate* unmanaged<IntPtr, Memory*, int>)Export("nvmlDeviceGetMemoryInfo");
    }

    private IntPtr Export(string name) => NativeLibrary.GetExport(handle, name);

    /// <summary>Loads and initializes NVML.</summary>
    /// <param name="problem">Why NVML is unusable, when the method returns null.</param>
    /// <returns>The library, or null when it is missing, incomplete, or cannot initialize (no GPU or driver).</returns>
    public static NvmlLibrary? TryLoad(out string? problem)
    {
        if (!NativeLibrary.TryLoad("libnvidia-ml.so.1", out IntPtr handle))
        {
            problem = "libnvidia-ml.so.1 is not installed (it comes with the NVIDIA driver)";
            return null;
        }

        try
        {
            var init = (delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "nvmlInit_v2");
            int status = init();
            if (status != Success)
            {
                NativeLibrary.Free(handle);
                problem = $"nvmlInit_v2 returned NVML error {status}";
                return null;
            }

            problem = null;
            return new NvmlLibrary(handle);
        }
        catch (EntryPointNotFoundException exception)
        {
            NativeLibrary.Free(handle);
            problem = $"libnvidia-ml.so.1 lacks a function: {exception.Message}";
            return null;
        }
    }

    /// <summary>Reads every GPU; a GPU that NVML cannot read (one that fell off the bus) is left out.</summary>
    /// <param name="errors">NVML error codes of the reads that failed, for the caller to log.</param>
    public IReadOnlyList<GpuSample> ReadAll(List<int> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);

        uint count;
        int status = getCount(&count);
        if (status != Success)
        {
            errors.Add(status);
            return [];
        }

        var samples = new List<GpuSample>((int)count);
        for (uint index = 0; index < count; index++)
        {
            if (TryRead(index, out GpuSample? sample, out int error))
            {
                samples.Add(sample!);
            }
            else
            {
                errors.Add(error);
            }
        }

        return samples;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            _ = shutdown();
            NativeLibrary.Free(handle);
        }
    }

    private bool TryRead(uint index, out GpuSample? sample, out int error)
    {
        sample = null;
        IntPtr device;
        Utilization utilization;
        Memory memory;
        byte* name = stackalloc byte[NameBufferSize];
        if ((error = getHandleByIndex(index, &device)) != Success ||
            (error = getName(device, name, NameBufferSize)) != Success ||
            (error = getUtilization(device, &utilization)) != Success ||
            (error = getMemory(device, &memory)) != Success)
        {
            return false;
        }

        sample = new GpuSample(
            (int)index,
            NvmlText.DecodeString(new ReadOnlySpan<byte>(name, NameBufferSize)),
            NvmlText.PercentToRatio(utilization.Gpu),
            memory.Used,
            memory.Total);
        return true;
    }

    /// <summary>nvmlUtilization_t: percentages of the last sample period.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Utilization
    {
        public uint Gpu;
        public uint Memory;
    }

    /// <summary>nvmlMemory_t: device memory in bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Memory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }
}
