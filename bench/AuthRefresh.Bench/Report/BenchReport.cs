using System.Globalization;
using System.Text;
using AuthRefresh.Bench.Load;
using static System.FormattableString;

namespace AuthRefresh.Bench.Report;

/// <summary>
/// Collects the results as they come, checks them against the targets of the benchmark and refresh issues and
/// writes them as Markdown (the tables docs/PERFORMANCE.md quotes).
/// </summary>
public sealed class BenchReport
{
    public const double RefreshTargetRps = 1500;
    public const double RefreshTargetRpsAt64 = 1400;
    public const double RefreshTargetP99Ms = 100;
    public const double RefreshTargetCpuUs = 1000;
    public const double PeerTargetRatio = 1.0;
    public const double PeerGoalRatio = 1.5;
    public const double PasswordTargetShare = 0.9;
    public const double ApiTargetRps = 15000;
    public const double GrowthTargetRatio = 1.2;
    public const double MemoryTargetMb = 250;

    /// <summary>The scenarios whose target is a throughput, and that throughput.</summary>
    public static IReadOnlyDictionary<string, double> ThroughputTargets { get; } = new Dictionary<string, double>
    {
        [Scenarios.Refresh] = RefreshTargetRps,
        [Scenarios.Api] = ApiTargetRps,
    };

    public const string TableHeader = "scenario  conc  run              req/s    p50 ms   p90 ms   p99 ms   max ms  errors";

    private readonly StringBuilder _markdown = new();
    private readonly List<(string Target, bool Met, string Measured)> _verdicts = [];

    // The http scenario's median at each concurrency: the api scenario's ceiling.
    private readonly Dictionary<int, double> _httpCeilings = [];

    public bool AnyErrors { get; private set; }

    public static string TableRow(LoadResult r, string label)
        => Invariant($"{r.Scenario,-9} {r.Concurrency,4}  {label,-14} {r.RequestsPerSecond,8:F0} {r.P50Ms,8:F2} {r.P90Ms,8:F2} {r.P99Ms,8:F2} {r.MaxMs,8:F1}  {Errors(r)}");

    /// <summary>The CPU a request cost each measured process, their sum, the cores that kept busy, and how the machine's time went.</summary>
    public static string CpuText(LoadResult r)
    {
        var total = r.Cpu.Sum(c => c.TotalUs);
        var parts = r.Cpu.Select(c => Invariant($"{c.Process} {c.TotalUs:N0} µs (user {c.UserUs:N0}, kernel {c.SystemUs:N0})"));
        var machine = r.Machine is { } m
            ? Invariant($"; the machine {m.IdlePercent:F1} % idle, {m.IoWaitPercent:F1} % waiting for I/O, {m.StealPercent:F1} % taken by the hypervisor")
            : "";
        return Invariant($"{string.Join("; ", parts)}; in all {total:N0} µs, {total * r.RequestsPerSecond / 1e6:F2} cores busy{machine}");
    }

    public void Line(string text) => _markdown.AppendLine(text).AppendLine();

    public string LimitsText(Limits.Limits l)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"| Limit (one thread, median) | Cost | Ceiling it implies on {l.Cores} cores |"));
        text.AppendLine("|---|---:|---|");
        text.AppendLine(Invariant($"| PBKDF2-HMAC-SHA512, {l.Pbkdf2Iterations:N0} iterations (Identity's hash) | {l.Pbkdf2Ms:F1} ms | password: {l.PasswordCeiling:N1} req/s |"));
        text.AppendLine(Invariant($"| RS256 signature (RSA 2048) | {l.Rs256SignMs:F3} ms | refresh signing RS256 access tokens: {l.Cores * 1000 / l.Rs256SignMs:N0} req/s |"));
        text.AppendLine(Invariant($"| ES256 signature (P-256) | {l.Es256SignMs:F3} ms | refresh signing ES256 access tokens: {l.Cores * 1000 / l.Es256SignMs:N0} req/s |"));
        text.AppendLine(Invariant($"| RS256 verification | {l.Rs256VerifyMs:F3} ms | api, RS256, every call verified: {l.ApiCeiling(l.Rs256VerifyMs):N0} req/s |"));
        text.AppendLine(Invariant($"| ES256 verification | {l.Es256VerifyMs:F3} ms | api, ES256, every call verified: {l.ApiCeiling(l.Es256VerifyMs):N0} req/s |"));
        text.AppendLine(Invariant($"| SQLite commit (WAL, synchronous={l.SqliteSynchronous}) | {l.SqliteCommitMs:F3} ms | one writer: {1000 / l.SqliteCommitMs:N0} write transactions/s |"));
        return text.ToString();
    }

    public void Limits(Limits.Limits limits)
    {
        _markdown.AppendLine("## Limits").AppendLine().Append(LimitsText(limits)).AppendLine();
    }

    public void Scenario(LoadResult median, IReadOnlyList<LoadResult> runs, Limits.Limits limits, IReadOnlyList<HashRate> passwordCeilings)
    {
        _markdown.AppendLine(Invariant($"## {median.Scenario}, concurrency {median.Concurrency} ({runs.Count} runs of {median.DurationSeconds:F0} s)")).AppendLine();
        Table(runs.Select((r, i) => (r, (i + 1).ToString(CultureInfo.InvariantCulture))).Append((median, "median")));
        Check(median);
        Cpu(median, limits.Cores);

        switch (median.Scenario)
        {
            case Scenarios.Refresh:
                var rps = median.Concurrency >= 64 ? RefreshTargetRpsAt64 : RefreshTargetRps;
                Verdict(Invariant($"refresh c{median.Concurrency}: >= {rps:N0} req/s, p99 < {RefreshTargetP99Ms} ms, no errors"),
                    median.RequestsPerSecond >= rps && median.P99Ms < RefreshTargetP99Ms && median.ErrorCount == 0,
                    Invariant($"{median.RequestsPerSecond:N0} req/s, p99 {median.P99Ms:F1} ms, {median.ErrorCount} errors"));
                if (median.Cpu.FirstOrDefault(c => c.Process == "AuthServer") is { } authServer)
                {
                    Verdict(Invariant($"refresh c{median.Concurrency}: AuthServer CPU <= {RefreshTargetCpuUs:N0} µs per refresh"),
                        authServer.TotalUs <= RefreshTargetCpuUs, Invariant($"{authServer.TotalUs:N0} µs"));
                }

                break;
            case Scenarios.Password:
                // Each run against the PBKDF2 throughput measured on all cores around it.
                List<double> Shares(Func<HashRate, double> rate) => [.. runs.Select((r, i) => r.RequestsPerSecond / rate(passwordCeilings[i]))];
                static string Percentages(IEnumerable<double> shares) => string.Join(", ", shares.Select(s => s.ToString("P1", CultureInfo.InvariantCulture)));
                var ofMean = Shares(c => c.Mean);
                var share = ofMean.Order().ElementAt(ofMean.Count / 2);
                _markdown.AppendLine(Invariant($"PBKDF2 on {limits.Cores} threads before / after each run: {string.Join(", ", passwordCeilings.Select(c => c.ToString()))} hashes/s; password req/s as a share of their mean: {Percentages(ofMean)} (of the rate before alone: {Percentages(Shares(c => c.Before))}).")).AppendLine();
                Verdict(Invariant($"password c{median.Concurrency}: >= {PasswordTargetShare:P0} of the PBKDF2 ceiling (measured on {limits.Cores} threads before and after each run; {limits.PasswordCeiling:N1}/s from the one-thread median x {limits.Cores})"),
                    share >= PasswordTargetShare && median.ErrorCount == 0,
                    Invariant($"{median.RequestsPerSecond:N1} req/s; median share {share:P1}"));
                break;
            case Scenarios.Http:
                _httpCeilings[median.Concurrency] = median.RequestsPerSecond;
                _markdown.AppendLine(Invariant($"The api scenario's ceiling on this machine: the same client, server and middleware answering `GET /health/live`, with no token to validate and no database to read. At the api target of {ApiTargetRps:N0} req/s the machine has {1_000_000 / ApiTargetRps:F1} µs (both cores, client included) per request; this round trip alone takes {1_000_000 / median.RequestsPerSecond:F1} µs of it, leaving {1_000_000 / ApiTargetRps - (1_000_000 / median.RequestsPerSecond):F1} µs to validate the token, read the notes and write them as JSON.")).AppendLine();
                break;
            case Scenarios.Api:
                var ceiling = _httpCeilings.TryGetValue(median.Concurrency, out var http)
                    ? Invariant($"; {median.RequestsPerSecond / http:P0} of the http ceiling ({http:N0} req/s)")
                    : "";
                Verdict(Invariant($"api c{median.Concurrency}: >= {ApiTargetRps:N0} req/s"),
                    median.RequestsPerSecond >= ApiTargetRps && median.ErrorCount == 0,
                    Invariant($"{median.RequestsPerSecond:N0} req/s{ceiling}"));
                break;
        }
    }

    /// <summary>
    /// The refresh runs against the peer's, run for run (they alternated): both tables, and the
    /// ratios of neighbouring runs, whose median is the verdict.
    /// </summary>
    public void Peer(IReadOnlyList<LoadResult> ours, IReadOnlyList<LoadResult> peer)
    {
        var median = LoadResult.Median(peer);
        _markdown.AppendLine(Invariant($"### The peer, node-oidc-provider, concurrency {median.Concurrency} (its runs alternated with the ones above)")).AppendLine();
        Table(peer.Select((r, i) => (r with { Scenario = "peer" }, (i + 1).ToString(CultureInfo.InvariantCulture))).Append((median with { Scenario = "peer" }, "median")));
        Check(median);
        if (median.Cpu.Count > 0)
        {
            _markdown.AppendLine(Invariant($"CPU per request (median of the runs): {CpuText(median)}.")).AppendLine();
        }

        var ratios = ours.Zip(peer, (a, b) => a.RequestsPerSecond / b.RequestsPerSecond).ToArray();
        var ratio = ratios.Order().ElementAt(ratios.Length / 2);
        var cpu = ours.Zip(peer, (a, b) => Cpu(b, Servers.PeerServer.Name) / Cpu(a, "AuthServer")).Where(double.IsFinite).Order().ToArray();
        var cpuText = cpu.Length > 0 ? Invariant($"; CPU per refresh, the peer's over AuthServer's: {cpu[cpu.Length / 2]:F2}") : "";
        _markdown.AppendLine(Invariant($"Throughput ratio, AuthRefresh over the peer, run by run: {string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}; median **{ratio:F2}**{cpuText}.")).AppendLine();
        Verdict(Invariant($"refresh c{median.Concurrency} against node-oidc-provider: ratio >= {PeerTargetRatio:F1} (then {PeerGoalRatio:F1})"),
            ratio >= PeerTargetRatio, Invariant($"{ratio:F2} ({LoadResult.Median(ours).RequestsPerSecond:N0} against {median.RequestsPerSecond:N0} req/s)"));

        static double Cpu(LoadResult result, string process) => result.Cpu.FirstOrDefault(c => c.Process == process)?.TotalUs ?? double.NaN;
    }

    public void Sweep(IReadOnlyList<LoadResult> results)
    {
        _markdown.AppendLine("## Sweep (one run each, for the chart)").AppendLine();
        Table(results.Select(r => (r, "sweep")));
        foreach (var result in results)
        {
            Check(result);
        }
    }

    public void Growth(IReadOnlyList<(long Stored, LoadResult Result)> results)
    {
        _markdown.AppendLine("## Growth: refresh at concurrency 16 by stored tokens (median of the runs)").AppendLine();
        Table(results.Select(r => (r.Result, Invariant($"{r.Stored:N0} stored"))));
        var small = results[0].Result.P50Ms;
        var large = results[^1].Result.P50Ms;
        Verdict(Invariant($"growth: refresh p50 with {results[^1].Stored:N0} stored tokens within {GrowthTargetRatio - 1:P0} of p50 with {results[0].Stored:N0}"),
            large <= small * GrowthTargetRatio,
            Invariant($"{small:F2} ms -> {large:F2} ms ({(large / small) - 1:+0.0%;-0.0%})"));
        foreach (var (_, result) in results)
        {
            Check(result);
        }
    }

    /// <summary>Refresh on PostgreSQL, one node against two nodes on one database (medians of the runs).</summary>
    public void Cluster(IReadOnlyList<(string Label, LoadResult Median)> results)
    {
        _markdown.AppendLine("## Refresh on PostgreSQL: one AuthServer node, and two nodes on one database (requests alternating)").AppendLine();
        Table(results.Select(r => (r.Median, r.Label)));
        foreach (var (_, result) in results)
        {
            Check(result);
        }
    }

    public const double TelemetryCostTargetPercent = 3;

    /// <summary>
    /// Refresh without an exporter and with OTLP export: the AuthServer CPU per refresh each way.
    /// The verdict takes the median of the runs' pairwise differences (each run with the exporter
    /// against the run without it just before), so that the machine's drift over the minutes falls
    /// on both sides of each pair alike.
    /// </summary>
    public void Telemetry(IReadOnlyList<(string Label, LoadResult Median)> results, IReadOnlyList<(LoadResult Off, LoadResult On)> pairs, string exports)
    {
        _markdown.AppendLine("## Refresh with OpenTelemetry: no exporter, and OTLP export of traces, metrics and logs").AppendLine();
        Table(results.Select(r => (r.Median, r.Label)));
        _markdown.AppendLine(Invariant($"During the runs {exports}.")).AppendLine();
        static double Cpu(LoadResult result) => result.Cpu.Where(c => c.Process.StartsWith("AuthServer", StringComparison.Ordinal)).Sum(c => c.TotalUs);
        foreach (var group in pairs.GroupBy(pair => pair.Off.Concurrency))
        {
            var differences = group.Select(pair => (Cpu(pair.On) - Cpu(pair.Off)) / Cpu(pair.Off) * 100).Order().ToList();
            var median = differences.Count % 2 == 1
                ? differences[differences.Count / 2]
                : (differences[(differences.Count / 2) - 1] + differences[differences.Count / 2]) / 2;
            var each = string.Join(", ", group.Select(pair => Invariant($"{Cpu(pair.Off):F0} → {Cpu(pair.On):F0}")));
            Verdict(Invariant($"telemetry: AuthServer CPU per refresh with OTLP export at most {TelemetryCostTargetPercent:F0} % above none, concurrency {group.Key}"),
                median <= TelemetryCostTargetPercent,
                Invariant($"median of the pairs {median:+0.0;-0.0} % (µs per refresh, without → with: {each})"));
        }

        foreach (var (_, result) in results)
        {
            Check(result);
        }
    }

    public const double StormRefreshP99TargetMs = 100;

    public void Storm(LoadResult refresh, Load.StormResult storm, Limits.Limits limits)
    {
        _markdown.AppendLine(Invariant($"## Password storm: refresh at concurrency 16 while password grants arrive at {storm.Rate:F0}/s")).AppendLine();
        _markdown.AppendLine(Invariant($"{storm.Rate / limits.PasswordCeiling:F0}x the hash ceiling ({limits.PasswordCeiling:F1}/s), open loop, for {storm.Duration.TotalSeconds:F0} s: {storm.Sent} sent, **{storm.Shed} shed** (429 at once, no hash), {storm.Granted} granted, {storm.ServerErrors} without an answer or 5xx.")).AppendLine();
        Table([(refresh, "during the storm")]);
        Verdict(Invariant($"password storm: refresh p99 during a password burst at {storm.Rate / limits.PasswordCeiling:F0}x the hash ceiling < {StormRefreshP99TargetMs:F0} ms, no 5xx"),
            refresh.P99Ms < StormRefreshP99TargetMs && storm.ServerErrors == 0,
            Invariant($"p99 {refresh.P99Ms:F1} ms, {refresh.RequestsPerSecond:F0} refreshes/s; {storm.Shed} of {storm.Sent} password requests shed, {storm.ServerErrors} 5xx"));
        Check(refresh);
    }

    public void Memory(LoadResult result, Servers.MemoryStatus memory)
    {
        _markdown.AppendLine("## Memory: AuthServer after 60 s of refresh at concurrency 16").AppendLine();
        Table([(result, "60 s")]);
        _markdown.AppendLine(Invariant($"Resident memory (VmRSS) at the end: **{memory.Resident:F0} MB** (anonymous {memory.Anonymous:F0} MB, mapped files {memory.FileBacked:F0} MB; peak {memory.Peak:F0} MB)")).AppendLine();
        Verdict(Invariant($"memory: AuthServer resident memory after 60 s of refresh < {MemoryTargetMb} MB"),
            memory.Resident < MemoryTargetMb, Invariant($"{memory.Resident:F0} MB"));
        Check(result);
    }

    public string Verdicts()
    {
        var text = new StringBuilder();
        foreach (var (target, met, measured) in _verdicts)
        {
            text.AppendLine(Invariant($"{(met ? "MET   " : "MISSED")} {target}: {measured}"));
        }

        if (AnyErrors)
        {
            text.AppendLine("ERRORS: some requests failed; see the tables.");
        }

        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder(_markdown.ToString());
        if (_verdicts.Count > 0)
        {
            text.AppendLine("## Targets").AppendLine();
            text.AppendLine("| Target | Measured | |").AppendLine("|---|---|---|");
            foreach (var (target, met, measured) in _verdicts)
            {
                text.AppendLine(Invariant($"| {target} | {measured} | {(met ? "met" : "**missed**")} |"));
            }
        }

        return text.ToString();
    }

    private void Table(IEnumerable<(LoadResult Result, string Label)> rows)
    {
        _markdown.AppendLine("| scenario | concurrency | run | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |");
        _markdown.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---|");
        foreach (var (r, label) in rows)
        {
            _markdown.AppendLine(Invariant($"| {r.Scenario} | {r.Concurrency} | {label} | {r.RequestsPerSecond:N0} | {r.P50Ms:F2} | {r.P90Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F1} | {Errors(r)} |"));
        }

        _markdown.AppendLine();
    }

    /// <summary>What a request costs the machine, beside what the scenario's throughput target leaves it.</summary>
    private void Cpu(LoadResult median, int cores)
    {
        if (median.Cpu.Count == 0)
        {
            return;
        }

        _markdown.AppendLine(Invariant($"CPU per request (median of the runs; CPU time from `/proc` over the counted part of each run, divided by the requests counted): {CpuText(median)}."));
        if (ThroughputTargets.TryGetValue(median.Scenario, out var rps))
        {
            _markdown.AppendLine(Invariant($"At the target of {rps:N0} req/s the {cores} cores have {cores * 1e6 / rps:N0} µs of CPU per request, the load generator's included."));
        }

        _markdown.AppendLine();
    }

    private void Check(LoadResult result) => AnyErrors |= result.ErrorCount > 0;

    private void Verdict(string target, bool met, string measured) => _verdicts.Add((target, met, measured));

    private static string Errors(LoadResult r)
        => r.ErrorCount == 0 ? "0" : string.Join(", ", r.Errors.Select(e => Invariant($"{e.Value}x{e.Key}")));
}
