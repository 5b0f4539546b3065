using Confluent.Kafka;
using GanStream.Pipeline.Logging;
using Microsoft.Extensions.Logging;

namespace GanStream.Pipeline.Kafka;

/// <summary>
/// Sends librdkafka's own log lines to an <see cref="ILogger"/>, so that they share the service's log format and
/// filters instead of going to standard error. librdkafka leaves <c>sasl.password</c> and
/// <c>ssl.key.password</c> out of its log lines, debug output included (checked with librdkafka 2.16 and
/// <c>debug=all</c>). Lines at Information level and above are rate-limited per client and facility, because a
/// client that cannot reach its broker logs every failed connection attempt. Debug lines, which appear only when
/// <c>Kafka:Config:debug</c> turns them on, are not rate-limited.
/// </summary>
public static class KafkaClientLog
{
    private static readonly LogThrottle Throttle = new(TimeSpan.FromSeconds(10));

    /// <summary>
    /// Writes one librdkafka log line. Runs on a librdkafka thread, so it catches the
    /// <see cref="ObjectDisposedException"/> a logger throws once its providers are disposed.
    /// </summary>
    public static void Forward(ILogger logger, LogMessage message)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(message);
        LogLevel level = ToLogLevel(message.Level);
        long suppressed = 0;
        if (level > LogLevel.Debug && !Throttle.TryAcquire($"{message.Name}/{message.Facility}/{level}", out suppressed))
        {
            return;
        }

        try
        {
            KafkaLog.ClientLog(logger, level, message.Name, message.Facility, message.Message, suppressed);
        }
        catch (ObjectDisposedException)
        {
            // The logging providers were disposed while a client was still closing; the line has nowhere to go.
        }
    }

    /// <summary>Maps a syslog severity, which librdkafka uses, to a .NET log level.</summary>
    public static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
