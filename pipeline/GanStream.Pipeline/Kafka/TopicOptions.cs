namespace GanStream.Pipeline.Kafka;

/// <summary>Names of the topics the pipeline uses (section <c>Topics</c>).</summary>
public sealed class TopicOptions
{
    public const string SectionName = "Topics";

    /// <summary>Topic of <c>FrameFeatures</c> messages from edges to workers. Default <c>ganstream.features</c>.</summary>
    public string Features { get; set; } = "ganstream.features";

    /// <summary>
    /// Topic on which an edge asks for its results; workers send each result to the topic named in the request's
    /// <c>reply-topic</c> header. Default <c>ganstream.results</c>.
    /// </summary>
    public string Results { get; set; } = "ganstream.results";

    /// <summary>Topic that receives every request a worker cannot process. Default <c>ganstream.features.dlq</c>.</summary>
    public string DeadLetter { get; set; } = "ganstream.features.dlq";
}
