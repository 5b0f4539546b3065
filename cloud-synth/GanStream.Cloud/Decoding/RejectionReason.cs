namespace GanStream.Cloud.Decoding;

/// <summary>
/// Bounded set of reasons a request is sent to the dead-letter topic; each is a metric label and the value of the
/// <c>dead-letter-reason</c> header.
/// </summary>
public static class RejectionReason
{
    public const string NotTheSchema = "not-the-schema";
    public const string UnknownSchemaVersion = "unknown-schema-version";
    public const string InvalidHeaders = "invalid-headers";
    public const string ReplyTopicNotAllowed = "reply-topic-not-allowed";
    public const string InvalidFields = "invalid-fields";
    public const string UnsupportedFeatureKind = "unsupported-feature-kind";
    public const string TooLarge = "too-large";
    public const string UndecodablePayload = "undecodable-payload";
    public const string SizeMismatch = "size-mismatch";
    public const string UnknownModel = "unknown-model";
    public const string ModelFailed = "model-failed";
    public const string InvalidModelOutput = "invalid-model-output";
    public const string EncodeFailed = "encode-failed";
    public const string ResultTooLarge = "result-too-large";
}
