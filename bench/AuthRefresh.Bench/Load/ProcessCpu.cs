using System.Globalization;

namespace AuthRefresh.Bench.Load;

/// <summary>CPU time of processes and threads, read from <c>/proc</c> (Linux).</summary>
public static class ProcessCpu
{
    /// <summary>The unit of the times in <c>/proc/*/stat</c> (USER_HZ, 100 on Linux).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>The process's CPU time so far; null where <c>/proc</c> cannot tell (another OS, an ended process).</summary>
    public static CpuTime? Read(int processId)
    {
        try
        {
            var (user, system) = ParseStat(File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat"));
            return new CpuTime(user / TicksPerSecond, system / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The machine's CPU time so far; null where <c>/proc/stat</c> cannot be read.</summary>
    public static MachineTime? ReadMachine()
    {
        try
        {
            using var stat = File.OpenText("/proc/stat");
            return stat.ReadLine() is { } line ? ParseMachineStat(line) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The machine's times from the first line of <c>/proc/stat</c> (<c>cpu  user nice system idle iowait irq softirq steal …</c>).</summary>
    public static MachineTime ParseMachineStat(string line)
    {
        var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture))
            .ToArray();

        // Note: guest time is already counted in user time, so the fields past steal are left out.
        long At(int index) => index < ticks.Length ? ticks[index] : 0;
        return new MachineTime(At(0) + At(1) + At(2) + At(5) + At(6), At(3), At(4), At(7));
    }

    /// <summary>utime and stime, in clock ticks, from the text of a process's or a thread's <c>stat</c>.</summary>
    public static (long User, long System) ParseStat(string stat)
    {
        // Note: the name in stat may hold spaces and parentheses; the fields after it start past the
        // last ')', with the state (field 3) first, so utime (field 14) is the 12th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture), long.Parse(fields[12], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The CPU each process used between <paramref name="before"/> and <paramref name="after"/>,
    /// divided by <paramref name="requests"/>; processes not read at both ends are left out.
    /// </summary>
    public static IReadOnlyList<CpuPerRequest> PerRequest(
        IReadOnlyDictionary<string, CpuTime?> before, IReadOnlyDictionary<string, CpuTime?> after, long requests)
    {
        if (requests <= 0)
        {
            return [];
        }

        return [.. before
            .Where(b => b.Value is not null && after.GetValueOrDefault(b.Key) is not null)
            .Select(b =>
            {
                var used = after[b.Key]!.Value - b.Value!.Value;
                return new CpuPerRequest(b.Key, used.User * 1e6 / requests, used.System * 1e6 / requests);
            })];
    }
}
