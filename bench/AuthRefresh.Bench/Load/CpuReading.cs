namespace AuthRefresh.Bench.Load;

/// <summary>One reading of the measured processes' CPU time and the machine's.</summary>
internal sealed record CpuReading(Dictionary<string, CpuTime?> Processes, MachineTime? Machine)
{
    public static CpuReading None { get; } = new([], null);
}
