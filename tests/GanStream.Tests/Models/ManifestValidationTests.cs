using System.Text.Json;
using System.Text.Json.Nodes;
using GanStream.Pipeline.Models;
using GanStream.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanStream.Tests.Models;

/// <summary>A manifest that does not match its ONNX file is refused at load time with the model and field named.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class ManifestValidationTests
{
    private static readonly InferenceOptions CpuNoWarmUp = new() { ExecutionProvider = ExecutionProviderPreference.Cpu, WarmUp = false };

    [Theory]
    [InlineData("input.name", "\"NotTheInput\"", "input.name")]
    [InlineData("output.name", "\"NotTheOutput\"", "output.name")]
    [InlineData("input.layout", "\"NHWC\"", "input.layout")]
    [InlineData("input.layout", "\"NCWH\"", "layout 'NCWH'")]
    [InlineData("input.channelOrder", "\"YUV\"", "channel order 'YUV'")]
    [InlineData("input.valueRange", "[1, 0]", "value range")]
    [InlineData("sha256", "\"0000000000000000000000000000000000000000000000000000000000000000\"", "sha256")]
    [InlineData("scaleFactor", "0", "scaleFactor")]
    public void Load_ManifestField_Mismatch_IsRefusedNamingField(string field, string json, string expectedText)
    {
        string folder = CopyModel("esrgan-slim-x4", field, JsonNode.Parse(json));

        var exception = Assert.Throws<ModelLoadException>(() => SuperResolutionModel.Load(folder, CpuNoWarmUp, NullLogger.Instance));

        Assert.Contains("esrgan-slim-x4", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expectedText, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingOnnxFile_NamesPath()
    {
        string folder = CopyModel("esrgan-slim-x4", null, null);
        File.Delete(Path.Combine(folder, SuperResolutionModel.ModelFileName));

        var exception = Assert.Throws<ModelLoadException>(() => SuperResolutionModel.Load(folder, CpuNoWarmUp, NullLogger.Instance));

        Assert.Contains("model.onnx", exception.Message, StringComparison.Ordinal);
        Assert.Contains("missing", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManifestNotJson_IsRefused()
    {
        string folder = CopyModel("esrgan-slim-x4", null, null);
        File.WriteAllText(Path.Combine(folder, SuperResolutionModel.ManifestFileName), "{ not json");

        var exception = Assert.Throws<ModelLoadException>(() => SuperResolutionModel.Load(folder, CpuNoWarmUp, NullLogger.Instance));

        Assert.Contains("not valid JSON", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedOnnxWithoutChecksum_IsRefusedByRuntime()
    {
        string folder = CopyModel("esrgan-slim-x4", "sha256", null);
        string onnx = Path.Combine(folder, SuperResolutionModel.ModelFileName);
        byte[] bytes = File.ReadAllBytes(onnx);
        File.WriteAllBytes(onnx, bytes[..(bytes.Length / 3)]);

        var exception = Assert.Throws<ModelLoadException>(() => SuperResolutionModel.Load(folder, CpuNoWarmUp, NullLogger.Instance));

        Assert.Contains("could not load", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repository_UnknownModel_ListsAvailable()
    {
        var repository = new ModelRepository(new ModelRepositoryOptions { Path = TestPaths.Models }, CpuNoWarmUp, NullLogger<ModelRepository>.Instance);

        var exception = Assert.Throws<ModelLoadException>(() => repository.ResolveDirectory("no-such-model"));

        Assert.Contains("no-such-model", exception.Message, StringComparison.Ordinal);
        Assert.Contains("esrgan-medium-x4", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("esrgan-slim-x4:7", "no version 7")]
    [InlineData("esrgan-slim-x4:x", "is invalid")]
    [InlineData("../esrgan-slim-x4", "is not in the model repository")]
    public void Repository_BadRequest_IsRefused(string request, string expectedText)
    {
        var repository = new ModelRepository(new ModelRepositoryOptions { Path = TestPaths.Models }, CpuNoWarmUp, NullLogger<ModelRepository>.Instance);

        var exception = Assert.Throws<ModelLoadException>(() => repository.ResolveDirectory(request));

        Assert.Contains(expectedText, exception.Message, StringComparison.Ordinal);
    }

    /// <summary>Copies a shipped model version into a temporary folder, optionally changing one manifest field.</summary>
    private static string CopyModel(string name, string? field, JsonNode? value)
    {
        string source = Path.Combine(TestPaths.Models, name, "1");
        string target = Path.Combine(TestPaths.CreateTemporaryFolder(), name, "1");
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        if (field is not null)
        {
            string manifestPath = Path.Combine(target, SuperResolutionModel.ManifestFileName);
            JsonNode manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
            string[] parts = field.Split('.');
            JsonNode parent = parts.Length == 1 ? manifest : manifest[parts[0]]!;
            string key = parts[^1];
            if (value is null)
            {
                parent.AsObject().Remove(key);
            }
            else
            {
                parent[key] = value;
            }

            File.WriteAllText(manifestPath, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        return target;
    }
}
