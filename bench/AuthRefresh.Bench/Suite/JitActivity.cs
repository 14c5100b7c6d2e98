using System.Globalization;
using AuthRefresh.Bench.Load;

namespace AuthRefresh.Bench.Suite;

/// <summary>How busy the JIT of a .NET process is, read from /proc.</summary>
public static class JitActivity
{
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
