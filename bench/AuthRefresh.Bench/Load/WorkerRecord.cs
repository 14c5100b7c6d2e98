namespace AuthRefresh.Bench.Load;

/// <summary>What one worker saw: the latency of each counted request and its status.</summary>
internal sealed class WorkerRecord
{
    public List<long> Latencies { get; } = new(capacity: 1 << 16);

    public Dictionary<int, long> Statuses { get; } = [];

    public List<string> Failures { get; } = [];

    public void Add(long elapsedTicks, int status)
    {
        Latencies.Add(elapsedTicks);
        Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
    }
}
