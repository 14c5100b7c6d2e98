using System.Globalization;
using AuthRefresh.Bench.Load;

namespace AuthRefresh.Bench.Suite;

/// <summary>How busy the JIT of a .NET process is, read from /proc.</summary>
public static class JitActivity
{
    /// <summary>
    /// The share of one core that the tiered-compilation threads of <paramref name="processes"/>
    /// used together over the next <paramref name="window"/>.
    /// </summary>
    public static async Task<double> BusyShareAsync(IReadOnlyList<int> processes, TimeSpan window, CancellationToken cancellationToken)
    {
        var before = processes.Select(ThreadTicks).ToArray();
        await Task.Delay(window, cancellationToken);
        var used = processes.Select(ThreadTicks)
            .Zip(before, (after, earlier) => after.Sum(thread => thread.Value - earlier.GetValueOrDefault(thread.Key)))
            .Sum();
        return used / ProcessCpu.TicksPerSecond / window.TotalSeconds;
    }

    /// <summary>
    /// CPU time so far, in clock ticks, of each of a .NET process's tiered-compilation threads (the
    /// JIT's background worker, which recompiles hot methods with full optimization), by thread id.
    /// </summary>
    public static Dictionary<int, long> ThreadTicks(int processId)
    {
        var ticks = new Dictionary<int, long>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/task"))
        {
            try
            {
                // Note: the thread's name is truncated to 15 characters by the kernel.
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                {
                    continue;
                }

                var (user, system) = ProcessCpu.ParseStat(File.ReadAllText(Path.Combine(task, "stat")));
                ticks[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = user + system;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // the thread ended meanwhile
            }
        }

        return ticks;
    }
}
