namespace GanStream.Pipeline.Models;

/// <summary>Where models are loaded from, and how often new versions are looked for (section <c>Models</c>).</summary>
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

    /// <summary>
    /// Time between two scans of the repository for a newer version of each model in use. A newer version is loaded
    /// and checked, then serves the requests that name no version. Default 10 seconds; zero turns the scan off.
    /// </summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks the settings and throws with the name of the first invalid key.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException("Models:Path is empty; give the folder of the model repository.");
        }

        if (string.IsNullOrWhiteSpace(DefaultModel))
        {
            throw new ArgumentException("Models:DefaultModel is empty; give a model as 'name' or 'name:version'.");
        }

        if (ReloadInterval < TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"Models:ReloadInterval is {ReloadInterval}; use a positive time, or zero to turn the scan off.");
        }
    }
}
