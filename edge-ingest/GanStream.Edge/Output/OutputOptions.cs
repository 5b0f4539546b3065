namespace GanStream.Edge.Output;

/// <summary>What the edge writes of the results it receives (section <c>Edge:Output</c>).</summary>
public sealed class OutputOptions
{
    /// <summary>Folder for output files; empty (default) writes nothing.</summary>
    public string? Directory { get; set; }

    /// <summary>Write one video of synthesized frames per camera, <c>CAMERA.avi</c>. Default true.</summary>
    public bool WriteVideo { get; set; } = true;

    /// <summary>Write each input frame next to its synthesized frame as <c>CAMERA/SEQUENCE.jpg</c>. Default false.</summary>
    public bool WriteSideBySide { get; set; }

    /// <summary>FourCC of the output video codec. Default <c>MJPG</c>, which OpenCV writes without FFmpeg.</summary>
    public string VideoCodec { get; set; } = "MJPG";
}
