namespace GanStream.Pipeline.Models;

/// <summary>Where models are loaded from (section <c>Models</c>).</summary>
public sealed class ModelRepositoryOptions
{
    public const string SectionName = "Models";

    /// <summary>
    /// Folder of the model repository: one folder per model, one sub-folder per integer version. A relative path is
    /// looked up in the working directory, then in the application folder and the folders above it. Default
    /// <c>models</c>.
    /// </summary>
    public string Path { get; set; } = "models";

    /// <summary>Model used when a request names none, as <c>name</c> or <c>name:version</c>. Default <c>esrgan-medium-x4</c>.</summary>
    public string DefaultModel { get; set; } = "esrgan-medium-x4";
}
