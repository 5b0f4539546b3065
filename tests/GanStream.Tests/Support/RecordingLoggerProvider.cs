using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GanStream.Tests.Support;

/// <summary>Keeps every log line written through it, for tests that check what a service logged.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, entries);

    /// <summary>Lines with event id <paramref name="eventId"/>.</summary>
    public IReadOnlyList<LogEntry> WithEvent(int eventId) => entries.Where(e => e.EventId == eventId).ToList();

    /// <summary>Waits until a line matching <paramref name="predicate"/> is written.</summary>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>.</exception>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            LogEntry? found = entries.FirstOrDefault(predicate);
            if (found is not null)
            {
                return found;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching log line within {timeout}.");
            }
        }
    }

    /// <summary>Writes every recorded line to the test output when the returned object is disposed.</summary>
    public IDisposable DumpOnDispose(ITestOutputHelper output) => new Dump(this, output);

    public void Dispose()
    {
    }

    private sealed class Dump(RecordingLoggerProvider provider, ITestOutputHelper output) : IDisposable
    {
        public void Dispose()
        {
            foreach (LogEntry entry in provider.Entries)
            {
                output.WriteLine($"{entry.Time:HH:mm:ss.fff} {entry.Level} [{entry.EventId}] {entry.Category}: {entry.Message}");
            }
        }
    }

    private sealed class RecordingLogger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(DateTimeOffset.UtcNow, category, logLevel, eventId.Id, formatter(state, exception)));
    }
}

/// <summary>One recorded log line.</summary>
public sealed record LogEntry(DateTimeOffset Time, string Category, LogLevel Level, int EventId, string Message);
