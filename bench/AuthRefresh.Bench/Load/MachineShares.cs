namespace AuthRefresh.Bench.Load;

/// <summary>How the machine's time was spent during a run, in per cent of all its cores' time.</summary>
public sealed record MachineShares(double IdlePercent, double IoWaitPercent, double StealPercent)
{
    /// <summary>The shares of the time between two readings; null when no time passed.</summary>
    public static MachineShares? Between(MachineTime before, MachineTime after)
    {
        var used = after - before;
        return used.Total <= 0
            ? null
            : new(100.0 * used.Idle / used.Total, 100.0 * used.IoWait / used.Total, 100.0 * used.Steal / used.Total);
    }
}
