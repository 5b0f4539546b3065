namespace GanStream.Cli.Tail;

/// <summary>What <c>ganstream tail</c> reads and where it saves the images.</summary>
internal sealed class ResultTailOptions
{
    /// <summary>Topic of <c>SynthesisResult</c> messages. Default <c>ganstream.results</c>.</summary>
    public string Topic { get; init; } = "ganstream.results";

    /// <summary>Read the topic from its oldest retained message instead of from its end. Default false.</summary>
    public bool FromBeginning { get; init; }

    /// <summary>Folder that receives one sub-folder of images per camera; null saves nothing. Default null.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Stop after this many results; 0 (default) reads until stopped.</summary>
    public long MaxMessages { get; init; }

    /// <summary>Time allowed for the topic's metadata and offsets. Default 30 seconds.</summary>
    public TimeSpan MetadataTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
