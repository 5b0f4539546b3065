namespace GanStream.Tests.Support;

/// <summary>
/// Tests that set process environment variables; they run one at a time and after the parallel tests, because the
/// environment is shared by every test in the process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Process environment";

    /// <summary>Sets environment variables until the returned object is disposed, then restores the old values.</summary>
    public static IDisposable Set(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var previous = variables.Keys.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        foreach ((string name, string value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        return new Restore(previous);
    }

    private sealed class Restore(Dictionary<string, string?> previous) : IDisposable
    {
        public void Dispose()
        {
            foreach ((string name, string? value) in previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
