namespace AuthRefresh.Bench.Load;

/// <summary>What one process used of the machine during a run, per counted request, in µs of CPU.</summary>
public sealed record CpuPerRequest(string Process, double UserUs, double SystemUs)
{
    public double TotalUs => UserUs + SystemUs;
}
