namespace GanStream.Cli.Hosting;

/// <summary>A problem the user can fix; the command prints the message alone and exits with code 2.</summary>
internal sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
