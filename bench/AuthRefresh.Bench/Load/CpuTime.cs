namespace AuthRefresh.Bench.Load;

/// <summary>CPU time a process has used so far, in seconds: in its own code, and in the kernel for it.</summary>
public readonly record struct CpuTime(double User, double System)
{
    public static CpuTime operator -(CpuTime after, CpuTime before) => new(after.User - before.User, after.System - before.System);
}
