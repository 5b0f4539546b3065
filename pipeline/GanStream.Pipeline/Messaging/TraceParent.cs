using System.Diagnostics;

namespace GanStream.Pipeline.Messaging;

/// <summary>A W3C Trace Context <c>traceparent</c> value: version 00, trace id, parent span id and flags.</summary>
public readonly record struct TraceParent(ActivityTraceId TraceId, ActivitySpanId SpanId, bool Sampled)
{
    /// <summary>Starts a new trace with a random trace id and span id.</summary>
    public static TraceParent CreateRoot() =>
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), Sampled: true);

    /// <summary>Uses the current activity when one is recording, so that traces join an existing trace.</summary>
    public static TraceParent FromCurrentOrRoot()
    {
        Activity? current = Activity.Current;
        if (current is null || current.IdFormat != ActivityIdFormat.W3C)
        {
            return CreateRoot();
        }

        bool sampled = current.ActivityTraceFlags.HasFlag(ActivityTraceFlags.Recorded);
        return new TraceParent(current.TraceId, current.SpanId, sampled);
    }

    /// <summary>A span in the same trace, with this one as its parent.</summary>
    public TraceParent CreateChild() => this with { SpanId = ActivitySpanId.CreateRandom() };

    /// <summary>Parses a <c>traceparent</c> header; returns false for any other version or a malformed value.</summary>
    public static bool TryParse(string? value, out TraceParent traceParent)
    {
        traceParent = default;

        // 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>
        if (value is null || value.Length != 55 || !value.StartsWith("00-", StringComparison.Ordinal))
        {
            return false;
        }

        if (value[35] != '-' || value[52] != '-')
        {
            return false;
        }

        ReadOnlySpan<char> trace = value.AsSpan(3, 32);
        ReadOnlySpan<char> span = value.AsSpan(36, 16);
        ReadOnlySpan<char> flags = value.AsSpan(53, 2);
        if (!IsLowerHex(trace) || !IsLowerHex(span) || !IsLowerHex(flags))
        {
            return false;
        }

        if (trace.IndexOfAnyExcept('0') < 0 || span.IndexOfAnyExcept('0') < 0)
        {
            return false;
        }

        bool sampled = (Convert.ToByte(flags.ToString(), 16) & 1) == 1;
        traceParent = new TraceParent(ActivityTraceId.CreateFromString(trace), ActivitySpanId.CreateFromString(span), sampled);
        return true;
    }

    public override string ToString() => $"00-{TraceId.ToHexString()}-{SpanId.ToHexString()}-{(Sampled ? "01" : "00")}";

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c) && c is < 'a' or > 'f')
            {
                return false;
            }
        }

        return true;
    }
}
