using OpenCvSharp;

namespace GanStream.Tests.Support;

/// <summary>Real frames for tests, read from the sample clip shipped in the repository.</summary>
public static class TestImages
{
    /// <summary>Reads frame <paramref name="index"/> of the sample clip as 8-bit BGR.</summary>
    public static Mat SampleFrame(int index = 0)
    {
        using var capture = new VideoCapture(TestPaths.SampleClip);
        Assert.True(capture.IsOpened(), $"Could not open {TestPaths.SampleClip}");
        var frame = new Mat();
        for (int i = 0; i <= index; i++)
        {
            Assert.True(capture.Read(frame) && !frame.Empty(), $"The sample clip has no frame {i}");
        }

        return frame;
    }
}
