namespace AuthRefresh.Bench.Load;

/// <summary>How long and how hard to load; <paramref name="StopWhen"/> may end it earlier.</summary>
public sealed record LoadSettings(int Concurrency, TimeSpan Duration, TimeSpan WarmUp, Func<bool>? StopWhen = null)
{
    /// <summary>Processes (by name) whose CPU time over the counted part of the run is reported per request.</summary>
    public IReadOnlyDictionary<string, int> CpuOf { get; init; } = new Dictionary<string, int>();

    /// <summary>Awaited once the workers are ready (signed in), before the run starts.</summary>
    public Func<CancellationToken, Task>? Ready { get; init; }
}
