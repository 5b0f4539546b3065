using GanStream.Pipeline.Models;
using GanStream.Quality.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace GanStream.Quality.Features;

/// <summary>
/// The ImageNet-trained ResNet-18 that NuGet ships in <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.24.0 (MIT),
/// a CNTK 2.6 export, used as a 512-dimensional feature extractor. Its preprocessing follows the package and ML.NET's
/// <c>DnnFeaturizeImage</c> pipeline: the image is scaled uniformly to cover 224x224 and the centre is cropped (ML.NET's
/// default <c>ResizeImages</c> mode, IsoCrop with a centre anchor), the pixels go as R, G and B planes in 0..255 into
/// the package's <c>ResNetPreprocess.onnx</c>, which reorders them to B, G, R and subtracts a per-pixel ImageNet mean
/// image (channel means about 103, 116 and 123, no division by a standard deviation), and <c>ResNet18.onnx</c> returns
/// the 7x7 average pool after the last residual block, [1, 512, 1, 1]. ML.NET resizes bilinearly; this class averages
/// areas when it shrinks, which does not alias, so its features are close to ML.NET's but not bit-identical.
/// </summary>
public sealed class ResNet18Featurizer : IDisposable
{
    public const int InputSize = 224;
    public const int FeatureLength = 512;
    public const string PreprocessFile = "ResNetPrepOnnx/ResNetPreprocess.onnx";
    public const string NetworkFile = "ResNet18Onnx/ResNet18.onnx";

    private static readonly long[] InputShape = [1, 3, InputSize, InputSize];

    private readonly InferenceSession preprocess;
    private readonly InferenceSession network;
    private readonly RunOptions runOptions = new();

    /// <summary>Loads the two ONNX files from <paramref name="directory"/>.</summary>
    /// <param name="directory">Folder holding <see cref="PreprocessFile"/> and <see cref="NetworkFile"/>.</param>
    /// <exception cref="FeatureModelException">A file is missing or does not have the expected inputs and outputs.</exception>
    public ResNet18Featurizer(string directory, InferenceOptions options, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);

        preprocess = OnnxFiles.Open(Path.Combine(directory, PreprocessFile), options, logger, out _);
        try
        {
            network = OnnxFiles.Open(Path.Combine(directory, NetworkFile), options, logger, out string provider);
            ExecutionProvider = provider;
            OnnxFiles.RequireInput(preprocess, InputShape);
            OnnxFiles.RequireInput(network, InputShape);
        }
        catch
        {
            preprocess.Dispose();
            network?.Dispose();
            throw;
        }
    }

    /// <summary>Folder the build copies the package's ONNX files to, next to the program.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    public string ExecutionProvider { get; }

    /// <summary>Extracts the 512 pooled features of an 8-bit BGR image of any size.</summary>
    public float[] Extract(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ImageChecks.RequireBgr8(bgr, nameof(bgr));

        var pixels = new float[3 * InputSize * InputSize];
        using (Mat square = PlanarRgb.ScaleAndCropCentre(bgr, InputSize))
        {
            PlanarRgb.Pack(square, pixels, scale: 1f, offset: 0f, channelsFirst: true);
        }

        using OrtValue input = OrtValue.CreateTensorValueFromMemory(pixels, InputShape);
        using IDisposableReadOnlyCollection<OrtValue> prepared =
            preprocess.Run(runOptions, [preprocess.InputNames[0]], [input], [preprocess.OutputNames[0]]);
        using IDisposableReadOnlyCollection<OrtValue> pooled =
            network.Run(runOptions, [network.InputNames[0]], [prepared[0]], [network.OutputNames[0]]);

        ReadOnlySpan<float> features = pooled[0].GetTensorDataAsSpan<float>();
        if (features.Length != FeatureLength)
        {
            throw new FeatureModelException($"ResNet-18 returned {features.Length} values instead of {FeatureLength}.");
        }

        return features.ToArray();
    }

    public void Dispose()
    {
        network.Dispose();
        preprocess.Dispose();
        runOptions.Dispose();
    }
}
