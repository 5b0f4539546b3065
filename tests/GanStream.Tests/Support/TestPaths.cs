namespace GanStream.Tests.Support;

/// <summary>Paths of the checkout's content used by the tests.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Models => Path.Combine(RepositoryRoot, "models");

    /// <summary>Small generated models for the tests, written by <c>TestData/make_test_models.py</c>.</summary>
    public static string TestModels => Path.Combine(RepositoryRoot, "tests", "GanStream.Tests", "TestData", "models");

    public static string SampleClip => Path.Combine(RepositoryRoot, "samples", "vtest-20s.avi");

    /// <summary>The clip of frames that no model was trained on, the default input of <c>ganstream evaluate</c>.</summary>
    public static string HoldoutClip => Path.Combine(RepositoryRoot, "samples", "vtest-holdout.avi");

    /// <summary>Folder of the image quality tests' fixed inputs and the scripts that made them.</summary>
    public static string QualityData => Path.Combine(RepositoryRoot, "tests", "GanStream.Tests", "Quality", "Data");

    /// <summary>Folder of Debian's opencv-doc sample data, present when the package is installed.</summary>
    public const string OpenCvSamples = "/usr/share/doc/opencv-doc/examples/data";

    /// <summary>Creates an empty folder under the system temporary folder for one test.</summary>
    public static string CreateTemporaryFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), "ganstream-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Stream.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Stream.sln above {AppContext.BaseDirectory}; run the tests from the checkout.");
    }
}
