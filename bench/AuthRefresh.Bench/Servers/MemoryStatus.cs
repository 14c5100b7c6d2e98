namespace AuthRefresh.Bench.Servers;

/// <summary>A process's memory, in MB.</summary>
public sealed record MemoryStatus(double Resident, double Anonymous, double FileBacked, double Peak);
