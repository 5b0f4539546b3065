using System.Globalization;
using System.Runtime.InteropServices;

namespace GanStream.Cli.Bench;

/// <summary>
/// CPU time of a process from Linux's <c>/proc/PID/stat</c>: user time (field 14, <c>utime</c>) plus system time
/// (field 15, <c>stime</c>), in clock ticks of <c>sysconf(_SC_CLK_TCK)</c>, as proc(5) describes them.
/// </summary>
internal static partial class ProcStat
{
    private const int SysConfClockTicks = 2;

    private static readonly Lazy<long> ClockTicks = new(ReadClockTicks);

    /// <summary>Clock ticks per second of the kernel's CPU time counters; 100 on most Linux systems.</summary>
    public static long TicksPerSecond => ClockTicks.Value;

    /// <summary>Reads the CPU seconds a process has used so far, or null when it has exited or is not readable.</summary>
    public static double? TryReadCpuSeconds(int processId)
    {
        string path = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat";
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return ParseCpuTicks(text) is { } ticks ? (double)ticks / TicksPerSecond : null;
    }

    /// <summary>Returns utime + stime in clock ticks from the text of a <c>stat</c> file, or null when malformed.</summary>
    /// <remarks>
    /// The second field is the command name in parentheses and may itself contain spaces and parentheses, so the
    /// fields are counted from the last closing parenthesis: field 3 (state) follows it.
    /// </remarks>
    public static long? ParseCpuTicks(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        int close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        string[] fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // fields[0] is field 3 (state), so field N is at index N - 3.
        const int UserTimeIndex = 14 - 3;
        const int SystemTimeIndex = 15 - 3;
        if (fields.Length <= SystemTimeIndex ||
            !long.TryParse(fields[UserTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out long user) ||
            !long.TryParse(fields[SystemTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out long system))
        {
            return null;
        }

        return user + system;
    }

    private static long ReadClockTicks()
    {
        long ticks = OperatingSystem.IsLinux() ? SysConf(SysConfClockTicks) : -1;

        // NOTE: 100 is the value of USER_HZ on every mainstream Linux architecture; it is used only if sysconf fails.
        return ticks > 0 ? ticks : 100;
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
