using System.Globalization;

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

                // Note: the name in stat may hold spaces; the fields after it start past the ')'.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] =
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // the thread ended meanwhile
            }
        }

        return ticks;
    }
}
