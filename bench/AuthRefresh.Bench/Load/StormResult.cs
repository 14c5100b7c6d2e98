namespace AuthRefresh.Bench.Load;

/// <summary>What a storm got back: answers by HTTP status (0: no answer).</summary>
public sealed record StormResult(double Rate, TimeSpan Duration, IReadOnlyDictionary<int, int> Statuses)
{
    public int Sent => Statuses.Values.Sum();

    /// <summary>Answered 429 at once, without a password being verified.</summary>
    public int Shed => Statuses.GetValueOrDefault(429);

    public int Granted => Statuses.GetValueOrDefault(200);

    public int ServerErrors => Statuses.Where(p => p.Key is 0 or >= 500).Sum(p => p.Value);
}
