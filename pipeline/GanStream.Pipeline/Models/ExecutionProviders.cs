using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace GanStream.Pipeline.Models;

/// <summary>Creates ONNX Runtime session options for the configured execution provider.</summary>
internal static class ExecutionProviders
{
    public const string Cuda = "CUDAExecutionProvider";
    public const string Cpu = "CPUExecutionProvider";

    /// <summary>Creates session options, trying CUDA first unless the CPU is requested.</summary>
    /// <returns>The options and the name of the execution provider they select.</returns>
    public static (SessionOptions Options, string Provider) CreateSessionOptions(InferenceOptions options, ILogger logger)
    {
        if (options.ExecutionProvider != ExecutionProviderPreference.Cpu)
        {
            string? cudaProblem = CudaDriverProblem();
            if (cudaProblem is null)
            {
                SessionOptions cudaOptions = CreateBase(options);
                try
                {
                    cudaOptions.AppendExecutionProvider_CUDA(options.DeviceId);
                    return (cudaOptions, Cuda);
                }
                catch (OnnxRuntimeException exception)
                {
                    cudaOptions.Dispose();
                    cudaProblem = exception.Message;
                }
            }

            if (options.ExecutionProvider == ExecutionProviderPreference.Cuda)
            {
                throw new ModelLoadException(
                    $"Inference:ExecutionProvider is Cuda but CUDA is unavailable: {cudaProblem}. Install the NVIDIA " +
                    "driver, CUDA 12 and cuDNN 9, or set Inference:ExecutionProvider to Auto or Cpu.");
            }

            ModelLog.CudaUnavailable(logger, cudaProblem);
        }

        return (CreateBase(options), Cpu);
    }

    private static SessionOptions CreateBase(InferenceOptions options)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };

        if (options.IntraOpThreads > 0)
        {
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        }

        // ONNX Runtime's documented session key: with 0, idle pool threads sleep instead of spinning between calls.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        return sessionOptions;
    }

    /// <summary>Returns why CUDA cannot work here, or null when the NVIDIA driver library loads.</summary>
    private static string? CudaDriverProblem()
    {
        string driver = OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";
        if (!NativeLibrary.TryLoad(driver, out IntPtr handle))
        {
            return $"the NVIDIA driver library {driver} is not installed";
        }

        NativeLibrary.Free(handle);
        return null;
    }
}
