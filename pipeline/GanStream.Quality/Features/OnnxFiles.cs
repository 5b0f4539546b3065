using GanStream.Pipeline.Models;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GanStream.Quality.Features;

/// <summary>Opens the feature networks' ONNX files and checks their signatures.</summary>
internal static class OnnxFiles
{
    public static InferenceSession Open(string path, InferenceOptions options, ILogger logger, out string provider)
    {
        if (!File.Exists(path))
        {
            throw new FeatureModelException(
                $"ONNX file '{path}' is missing. The build copies the feature networks next to the program; rebuild, " +
                "or check that NuGet restored Microsoft.ML.DnnImageFeaturizer.ResNet18.");
        }

        (SessionOptions sessionOptions, string selected) = ExecutionProviders.CreateSessionOptions(options, logger);

        // Idle intra-op threads sleep instead of spinning, because these networks run between other CPU-bound
        // work (decoding, the models, SSIM), and spinning threads slow that work down on a machine with few cores.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            provider = selected;
            return new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new FeatureModelException($"ONNX Runtime could not load '{path}': {exception.Message}", exception);
        }
        finally
        {
            sessionOptions.Dispose();
        }
    }

    /// <summary>Throws unless the session has one float input of exactly <paramref name="shape"/>.</summary>
    public static void RequireInput(InferenceSession session, long[] shape)
    {
        NodeMetadata input = session.InputMetadata.Values.First();
        long[] actual = input.Dimensions.Select(d => (long)d).ToArray();
        if (session.InputMetadata.Count != 1 || input.ElementDataType != TensorElementType.Float || !actual.SequenceEqual(shape))
        {
            throw new FeatureModelException(
                $"Expected one float input of shape [{string.Join(", ", shape)}], found " +
                $"{session.InputMetadata.Count} inputs, the first {input.ElementDataType} [{string.Join(", ", actual)}].");
        }
    }
}
