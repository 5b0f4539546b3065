using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GanStream.Tests.Support;

/// <summary>A logger that keeps every message, so that a test can check what an operator would see.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId EventId, string Message)> entries = new();

    public IReadOnlyList<(LogLevel Level, EventId EventId, string Message)> Entries => [.. entries];

    /// <summary>Messages of one event id, in the order they were logged.</summary>
    public IReadOnlyList<string> MessagesOf(int eventId) =>
        [.. entries.Where(entry => entry.EventId.Id == eventId).Select(entry => entry.Message)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        entries.Enqueue((logLevel, eventId, formatter(state, exception)));
    }
}
