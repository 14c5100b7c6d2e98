using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthRefresh.Bench.Load;

/// <summary>
/// One run of one scenario: throughput, latency percentiles (nearest rank) and the answers that
/// were not 2xx, by status code (0: the request failed below HTTP).
/// </summary>
public sealed record LoadResult(
    string Scenario,
    int Concurrency,
    double DurationSeconds,
    long Requests,
    double RequestsPerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    IReadOnlyDictionary<string, long> Errors)
{
    [JsonIgnore]
    public long ErrorCount => Errors.Values.Sum();

    /// <summary>The 2xx answers per second: what the run achieved, without the refusals and failures.</summary>
    [JsonIgnore]
    public double SucceededPerSecond => Requests == 0 ? 0 : RequestsPerSecond * (Requests - ErrorCount) / Requests;

    /// <summary>
    /// The CPU each measured process used per counted request over the counted part of the run
    /// (empty when none was measured). On one machine their sum is what a request costs it.
    /// </summary>
    public IReadOnlyList<CpuPerRequest> Cpu { get; init; } = [];

    /// <summary>How the machine's time was spent over the same window (null when not measured).</summary>
    public MachineShares? Machine { get; init; }

    /// <summary>A sample of the exceptions behind status 0, for the report.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> FailureSamples { get; init; } = [];

    internal static LoadResult From(string scenario, LoadSettings settings, IReadOnlyList<WorkerRecord> records)
    {
        var latencies = records.SelectMany(r => r.Latencies).ToArray();
        Array.Sort(latencies);
        var errors = records.SelectMany(r => r.Statuses)
            .Where(s => s.Key is < 200 or >= 300)
            .GroupBy(s => s.Key.ToString(CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
        var seconds = settings.Duration.TotalSeconds;

        return new LoadResult(
            scenario,
            settings.Concurrency,
            seconds,
            latencies.Length,
            latencies.Length / seconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.90),
            Percentile(latencies, 0.99),
            latencies.Length == 0 ? 0 : Milliseconds(latencies[^1]),
            errors)
        {
            FailureSamples = [.. records.SelectMany(r => r.Failures).Distinct().Take(5)],
        };
    }

    /// <summary>The median of several runs of the same scenario, metric by metric.</summary>
    public static LoadResult Median(IReadOnlyList<LoadResult> runs)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        double Mid(Func<LoadResult, double> metric) => Middle(runs.Select(metric));

        var errors = runs.SelectMany(r => r.Errors)
            .GroupBy(e => e.Key)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        return new LoadResult(
            runs[0].Scenario,
            runs[0].Concurrency,
            runs[0].DurationSeconds,
            (long)Mid(r => r.Requests),
            Mid(r => r.RequestsPerSecond),
            Mid(r => r.P50Ms),
            Mid(r => r.P90Ms),
            Mid(r => r.P99Ms),
            Mid(r => r.MaxMs),
            errors)
        {
            Cpu = [.. runs.SelectMany(r => r.Cpu).GroupBy(c => c.Process)
                .Where(g => g.Count() == runs.Count)
                .Select(g => new CpuPerRequest(g.Key, Middle(g.Select(c => c.UserUs)), Middle(g.Select(c => c.SystemUs))))],
            Machine = runs.All(r => r.Machine is not null)
                ? new MachineShares(
                    Middle(runs.Select(r => r.Machine!.IdlePercent)),
                    Middle(runs.Select(r => r.Machine!.IoWaitPercent)),
                    Middle(runs.Select(r => r.Machine!.StealPercent)))
                : null,
        };
    }

    private static double Middle(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static double Percentile(long[] sorted, double quantile)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(quantile * sorted.Length) - 1;
        return Milliseconds(sorted[Math.Clamp(rank, 0, sorted.Length - 1)]);
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
