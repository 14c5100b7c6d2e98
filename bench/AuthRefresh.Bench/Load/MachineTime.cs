namespace AuthRefresh.Bench.Load;

/// <summary>
/// The whole machine's CPU time so far, in clock ticks summed over its cores, from the first line of
/// <c>/proc/stat</c>: busy (user, nice, system, interrupts), idle, waiting for I/O, and stolen (time
/// the hypervisor gave this machine's virtual CPUs to others; no process is charged for it).
/// </summary>
public readonly record struct MachineTime(long Busy, long Idle, long IoWait, long Steal)
{
    public long Total => Busy + Idle + IoWait + Steal;

    public static MachineTime operator -(MachineTime after, MachineTime before)
        => new(after.Busy - before.Busy, after.Idle - before.Idle, after.IoWait - before.IoWait, after.Steal - before.Steal);
}
