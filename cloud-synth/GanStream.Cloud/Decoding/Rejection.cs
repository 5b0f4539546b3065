namespace GanStream.Cloud.Decoding;

/// <summary>Why a request was not processed: a bounded <see cref="RejectionReason"/> and a short detail for logs.</summary>
public sealed record Rejection(string Reason, string Detail)
{
    /// <summary>Longest detail kept in the dead-letter header, in characters.</summary>
    public const int MaxDetailLength = 300;

    public string BoundedDetail => Detail.Length <= MaxDetailLength ? Detail : Detail[..MaxDetailLength];

    /// <summary>
    /// True when a filter dropped the frame (cloud-only mode): not an error, so the requester is told and nothing is
    /// dead-lettered. <see cref="Reason"/> is then the filter's name.
    /// </summary>
    public bool IsFilter { get; init; }

    /// <summary>The outcome of a whole frame that the filter <paramref name="filter"/> dropped.</summary>
    public static Rejection Filtered(string filter) =>
        new(filter, $"dropped by the {filter} filter") { IsFilter = true };
}
