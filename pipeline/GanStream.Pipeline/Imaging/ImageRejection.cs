namespace GanStream.Pipeline.Imaging;

/// <summary>Why a compressed image was not decoded; the reason is a bounded metric label.</summary>
public enum ImageRejectionReason
{
    Empty,
    UnknownFormat,
    EncodingMismatch,
    TooLarge,
    Corrupt,
}

/// <summary>A rejected image: the reason and a short description for logs.</summary>
public sealed record ImageRejection(ImageRejectionReason Reason, string Detail);
