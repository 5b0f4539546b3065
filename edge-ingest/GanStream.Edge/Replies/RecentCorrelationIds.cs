namespace GanStream.Edge.Replies;

/// <summary>The last few thousand correlation ids settled, to tell a duplicate result from a foreign one.</summary>
public sealed class RecentCorrelationIds
{
    private readonly string[] ring;
    private readonly HashSet<string> members = new(StringComparer.Ordinal);
    private int next;

    public RecentCorrelationIds(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ring = new string[capacity];
    }

    public void Add(string correlationId)
    {
        if (!members.Add(correlationId))
        {
            return;
        }

        string? evicted = ring[next];
        if (evicted is not null)
        {
            members.Remove(evicted);
        }

        ring[next] = correlationId;
        next = (next + 1) % ring.Length;
    }

    public bool Contains(string correlationId) => members.Contains(correlationId);
}
