namespace GanStream.Cloud.Decoding;

/// <summary>Why a request was not processed: a bounded <see cref="RejectionReason"/> and a short detail for logs.</summary>
public sealed record Rejection(string Reason, string Detail)
{
    /// <summary>Longest detail kept in the dead-letter header, in characters.</summary>
    public const int MaxDetailLength = 300;

    public string BoundedDetail => Detail.Length <= MaxDetailLength ? Detail : Detail[..MaxDetailLength];
}
