using System.Diagnostics;
using System.Globalization;
using AuthRefresh.Bench.Data;
using AuthRefresh.Bench.Load;
using AuthRefresh.Bench.Report;
using AuthRefresh.Bench.Servers;
using static System.FormattableString;

namespace AuthRefresh.Bench.Suite;

/// <summary>
/// Runs the commands of the command line: starts the servers with fresh databases, seeds them,
/// loads them, prints every run as a table row and a JSON line, and writes the report.
/// </summary>
public sealed class BenchSuite(BenchOptions options, string repositoryRoot)
{
    public const string Password = "Bench-Passw0rd!";

    private static readonly int[] SweepConcurrency = [1, 4, 16, 64];

    // The notes each user has: the api scenario's list is a real one.
    private const int NotesPerUser = 5;

    // The warm-up ends when the servers' JIT threads used at most 2 % of a core over 5 s.
    private static readonly TimeSpan JitWindow = TimeSpan.FromSeconds(5);
    private const double JitIdleShare = 0.02;
    private static readonly TimeSpan MaxServerWarmUp = TimeSpan.FromSeconds(180);

    private readonly string _out = Path.GetFullPath(options.Out, repositoryRoot);
    private readonly BenchReport _report = new();
    private bool _withPeer = options.Peer;
    private Limits.Limits? _limits;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_out);
        _report.Line(Invariant($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        foreach (var command in options.Commands)
        {
            switch (command)
            {
                case "report":
                    _withPeer = true;
                    MeasureLimits();
                    foreach (var scenario in Scenarios.All)
                    {
                        await ScenarioAsync(scenario, TargetConcurrency(scenario), cancellationToken);
                    }

                    await StormAsync(cancellationToken);
                    await SweepAsync(cancellationToken);
                    await GrowthAsync(cancellationToken);
                    await MemoryAsync(cancellationToken);
                    break;
                case PasswordStormCommand:
                    await StormAsync(cancellationToken);
                    break;
                case "limits":
                    MeasureLimits();
                    break;
                case Scenarios.Password or Scenarios.Refresh or Scenarios.Http or Scenarios.Api:
                    await ScenarioAsync(command, options.Concurrency ?? TargetConcurrency(command), cancellationToken);
                    break;
                case "sweep":
                    await SweepAsync(cancellationToken);
                    break;
                case "growth":
                    await GrowthAsync(cancellationToken);
                    break;
                case "memory":
                    await MemoryAsync(cancellationToken);
                    break;
                case ClusterCommand:
                    await ClusterAsync(cancellationToken);
                    break;
                case TelemetryCommand:
                    await TelemetryAsync(cancellationToken);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown command '{command}'.");
                    Console.Error.WriteLine(BenchOptions.Usage);
                    return 2;
            }
        }

        var reportPath = Path.Combine(_out, "report.md");
        await File.WriteAllTextAsync(reportPath, _report.ToMarkdown(), cancellationToken);
        Console.WriteLine();
        Console.WriteLine(_report.Verdicts());
        Console.WriteLine($"Report: {reportPath}");
        return _report.AnyErrors ? 1 : 0;
    }

    public const string PasswordStormCommand = "password-storm";

    // Note: a storm is a burst well past what the cores can hash, as a credential-stuffing run is.
    public const double StormFactor = 4;

    /// <summary>
    /// The refresh scenario at 16 clients while password grants arrive at <see cref="StormFactor"/>
    /// times the hash ceiling, open loop, for the whole run: the refreshes' latency during the
    /// storm, and how many password requests were shed.
    /// </summary>
    private async Task StormAsync(CancellationToken cancellationToken)
    {
        var limits = MeasureLimits();
        await using var session = await StartAsync(PasswordStormCommand, cancellationToken);
        await WarmUpAsync(session, Scenarios.Password, cancellationToken);
        await WarmUpAsync(session, Scenarios.Refresh, cancellationToken);
        var rate = StormFactor * limits.PasswordCeiling;
        Task<StormResult>? storm = null;
        var refresh = await LoadGenerator.RunAsync(
            Scenarios.Create(Scenarios.Refresh, session.Target),
            new LoadSettings(16, options.Duration, options.WarmUp)
            {
                CpuOf = session.Servers.Processes(),
                Ready = async ready =>
                {
                    await WaitForIdleJitAsync(session, ready);
                    storm = PasswordStorm.RunAsync(session.Target, rate, options.WarmUp + options.Duration, cancellationToken);
                },
            },
            cancellationToken);
        var result = await storm!;
        Print(refresh, "storm");
        Console.WriteLine(Invariant($"Password storm: {result.Sent} sent at {rate:F0}/s, {result.Shed} shed (429), {result.Granted} granted, {result.ServerErrors} without an answer or 5xx"));
        await File.AppendAllTextAsync(Path.Combine(_out, "results.jsonl"), (refresh with { Scenario = "refresh-in-password-storm" }).ToJson() + Environment.NewLine, cancellationToken);
        _report.Storm(refresh, result, limits);
    }

    private static int[] TargetConcurrency(string scenario) => scenario == Scenarios.Refresh ? [16, 64] : [16];

    private Limits.Limits MeasureLimits()
    {
        if (_limits is not null)
        {
            return _limits;
        }

        Console.WriteLine("Measuring the limits (PBKDF2, signatures, SQLite commit)...");
        _limits = Limits.Limits.Measure(_out);
        _report.Limits(_limits);
        Console.WriteLine(_report.LimitsText(_limits));
        return _limits;
    }

    private async Task ScenarioAsync(string scenario, IReadOnlyList<int> concurrencies, CancellationToken cancellationToken)
    {
        var limits = MeasureLimits();
        await using var session = await StartAsync(scenario, cancellationToken);
        await using var peer = scenario == Scenarios.Refresh && _withPeer
            ? await StartPeerAsync(session, cancellationToken)
            : null;
        foreach (var concurrency in concurrencies)
        {
            var runs = new List<LoadResult>();
            var peerRuns = new List<LoadResult>();
            var ceilings = new List<HashRate>();
            for (var run = 1; run <= options.Runs; run++)
            {
                if (scenario != Scenarios.Password)
                {
                    // Note: the peer's runs alternate with ours, so that this machine's drift over
                    // the minutes they take falls on both alike, and each ratio is of neighbours.
                    runs.Add(await LoadAsync(session, scenario, concurrency, run.ToString(CultureInfo.InvariantCulture), cancellationToken));
                    if (peer is not null)
                    {
                        peerRuns.Add(await PeerLoadAsync(peer, concurrency, run.ToString(CultureInfo.InvariantCulture), cancellationToken));
                    }

                    continue;
                }

                // Note: this machine's speed drifts within seconds, so the hash rate is measured
                // just before and just after each run, and the run is judged against their mean.
                await WarmUpAsync(session, scenario, cancellationToken);
                var before = MeasureHashRate("before");
                runs.Add(await LoadAsync(session, scenario, concurrency, run.ToString(CultureInfo.InvariantCulture), cancellationToken));
                ceilings.Add(new HashRate(before, MeasureHashRate("after")));
            }

            var median = LoadResult.Median(runs);
            Print(median, "median");
            _report.Scenario(median, runs, limits, ceilings);
            if (peerRuns.Count > 0)
            {
                Print(LoadResult.Median(peerRuns), "peer median");
                _report.Peer(runs, peerRuns);
            }
        }
    }

    /// <summary>The peer, node-oidc-provider, with the session's users, warmed up with the refresh scenario.</summary>
    private async Task<Peer> StartPeerAsync(Session session, CancellationToken cancellationToken)
    {
        Console.WriteLine("Starting the peer, node-oidc-provider (bench/peer)...");
        var server = await PeerServer.StartAsync(repositoryRoot, session.Target.Users, session.Folder, cancellationToken);
        var peer = new Peer(server, new BenchTarget(server.Address, session.Target.ResourceApi, session.Target.Users));
        Console.WriteLine(Invariant($"Warming the peer up: refresh, {PeerWarmUp.TotalSeconds:F0} s (not measured)..."));
        await LoadGenerator.RunAsync(Scenarios.Create(Scenarios.Refresh, peer.Target), new LoadSettings(16, PeerWarmUp, TimeSpan.Zero), cancellationToken);
        return peer;
    }

    // Node's JIT settles within seconds; the warm-up also fills its store as ours is filled.
    private static readonly TimeSpan PeerWarmUp = TimeSpan.FromSeconds(20);

    private async Task<LoadResult> PeerLoadAsync(Peer peer, int concurrency, string label, CancellationToken cancellationToken)
    {
        var result = await LoadGenerator.RunAsync(
            Scenarios.Create(Scenarios.Refresh, peer.Target),
            new LoadSettings(concurrency, options.Duration, options.WarmUp)
            {
                CpuOf = new Dictionary<string, int>
                {
                    [PeerServer.Name] = peer.Server.ProcessId,
                    [BenchServers.LoadGeneratorName] = Environment.ProcessId,
                },
            },
            cancellationToken);
        Print(result, "peer " + label);
        await File.AppendAllTextAsync(Path.Combine(_out, "results.jsonl"), (result with { Scenario = "refresh-peer" }).ToJson() + Environment.NewLine, cancellationToken);
        return result;
    }

    private sealed record Peer(PeerServer Server, BenchTarget Target) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Target.Dispose();
            await Server.DisposeAsync();
        }
    }

    private static double MeasureHashRate(string when)
    {
        var rate = Limits.Limits.MeasurePbkdf2Throughput(TimeSpan.FromSeconds(4));
        Console.WriteLine(Invariant($"PBKDF2 on {Environment.ProcessorCount} threads {when} the run: {rate:F1} hashes/s"));
        return rate;
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var results = new List<LoadResult>();
        foreach (var scenario in Scenarios.All)
        {
            await using var session = await StartAsync("sweep-" + scenario, cancellationToken);
            foreach (var concurrency in SweepConcurrency)
            {
                results.Add(await LoadAsync(session, scenario, concurrency, "sweep", cancellationToken));
            }
        }

        _report.Sweep(results);
        var svg = Chart.WriteSvg(Path.Combine(_out, "chart.svg"), results,
            Invariant($"AuthRefresh: requests/s against concurrency ({Environment.ProcessorCount} cores, client on the same machine)"), BenchReport.ThroughputTargets);
        var png = Path.ChangeExtension(svg, ".png");
        Console.WriteLine(Chart.TryRenderPng(svg, png) ? $"Chart: {png}" : $"Chart: {svg} (no Chromium to render a PNG)");
    }

    /// <summary>
    /// Refresh p50 with 1,000 stored tokens against refresh with <see cref="BenchOptions.Tokens"/>:
    /// two server pairs, one per database, measured in turns (small, large, small, ...), so that
    /// this machine's drift over the minutes the runs take falls on both sizes alike.
    /// </summary>
    private async Task GrowthAsync(CancellationToken cancellationToken)
    {
        await using var small = await StartAsync("growth-small", cancellationToken);
        await using var large = await StartAsync("growth-large", cancellationToken);

        // Note: the warm-ups add tokens too (each refresh leaves two), and the small database's
        // leave real refresh tokens, whose payload length the seeded ones copy.
        await WarmUpAsync(small, Scenarios.Refresh, cancellationToken);
        var payload = Math.Max(BenchData.RefreshPayloadLength(small.Servers.AuthServerDatabase), 1000);
        Seed(small, 1_000, payload);
        Seed(large, options.Tokens, payload);
        await WarmUpAsync(large, Scenarios.Refresh, cancellationToken);

        var sessions = new[] { small, large };
        var stored = sessions.Select(s => BenchData.CountTokens(s.Servers.AuthServerDatabase)).ToArray();
        var runs = sessions.Select(_ => new List<LoadResult>()).ToArray();
        for (var run = 1; run <= options.Runs; run++)
        {
            for (var i = 0; i < sessions.Length; i++)
            {
                runs[i].Add(await LoadAsync(sessions[i], Scenarios.Refresh, 16, Invariant($"{stored[i]:N0} stored"), cancellationToken));
            }
        }

        _report.Growth([.. stored.Zip(runs, (count, results) => (count, LoadResult.Median(results)))]);

        static void Seed(Session session, long total, int payload)
        {
            if (total <= BenchData.CountTokens(session.Servers.AuthServerDatabase))
            {
                return;
            }

            Console.WriteLine(Invariant($"Seeding {total:N0} stored tokens (payload {payload} characters)..."));
            BenchData.SeedTokens(session.Servers.AuthServerDatabase, total, payload, done => Console.Write(Invariant($"\r  {done:N0}")));
            Console.WriteLine();
        }
    }

    public const string ClusterCommand = "refresh-cluster";

    /// <summary>
    /// Refresh on PostgreSQL (a durable throw-away cluster of the benchmark's own): one AuthServer
    /// node, and two nodes on one database with the requests alternating between them, each on a
    /// database of its own and measured in turns (one, two, one, ...), so that this machine's drift
    /// falls on both alike. The machine's two cores hold both nodes, PostgreSQL and the load
    /// generator: this measures what a second node costs and proves it keeps working, not how a
    /// second machine scales.
    /// </summary>
    private async Task ClusterAsync(CancellationToken cancellationToken)
    {
        if (PostgreSqlServer.BinDirectory is null)
        {
            Console.Error.WriteLine(PostgreSqlServer.NotInstalled);
            _report.Line($"refresh-cluster not run: {PostgreSqlServer.NotInstalled}.");
            return;
        }

        Console.WriteLine("Starting PostgreSQL (a throw-away cluster, fsync and synchronous commit on)...");
        await using var postgreSql = await PostgreSqlServer.StartAsync(durable: true);
        await using var one = await StartAsync("pg-1-node", cancellationToken, await postgreSql.CreateDatabaseAsync("bench_one"), nodes: 1);
        await using var two = await StartAsync("pg-2-nodes", cancellationToken, await postgreSql.CreateDatabaseAsync("bench_two"), nodes: 2);
        var (results, _) = await InTurnsAsync([(one, "PostgreSQL, 1 node"), (two, "PostgreSQL, 2 nodes")], cancellationToken);
        _report.Cluster(results);
    }

    /// <summary>
    /// The refresh scenario on two sessions in turns (first, second, first, ...) at each
    /// concurrency, so that the machine's drift falls on both alike: each session's median, and
    /// every run of the first beside the second's that followed it.
    /// </summary>
    private async Task<(List<(string Label, LoadResult Median)> Medians, List<(LoadResult First, LoadResult Second)> Pairs)> InTurnsAsync(
        (Session Session, string Label)[] sessions, CancellationToken cancellationToken)
    {
        var results = new List<(string Label, LoadResult Median)>();
        var pairs = new List<(LoadResult First, LoadResult Second)>();
        foreach (var concurrency in options.Concurrency ?? [16])
        {
            var runs = sessions.Select(_ => new List<LoadResult>()).ToArray();
            for (var run = 1; run <= options.Runs; run++)
            {
                for (var i = 0; i < sessions.Length; i++)
                {
                    runs[i].Add(await LoadAsync(sessions[i].Session, Scenarios.Refresh, concurrency, sessions[i].Label, cancellationToken));
                }
            }

            for (var i = 0; i < sessions.Length; i++)
            {
                var median = LoadResult.Median(runs[i]);
                Print(median, sessions[i].Label + " median");
                results.Add((sessions[i].Label, median));
            }

            pairs.AddRange(runs[0].Zip(runs[1]));
        }

        return (results, pairs);
    }

    public const string TelemetryCommand = "refresh-otel";

    /// <summary>
    /// What OpenTelemetry costs a refresh: the servers without an exporter, and the servers
    /// exporting traces, metrics and logs over OTLP to a collector of the benchmark's own (which
    /// only receives), measured in turns at the same concurrency.
    /// </summary>
    private async Task TelemetryAsync(CancellationToken cancellationToken)
    {
        await using var collector = await OtlpCollector.StartAsync(cancellationToken);
        await using var plain = await StartAsync("otel-off", cancellationToken);
        await using var exporting = await StartAsync("otel-otlp", cancellationToken, telemetry: collector);
        var (results, pairs) = await InTurnsAsync([(plain, "no exporter"), (exporting, "OTLP exporter")], cancellationToken);
        var exports = Invariant($"the collector received {collector.Exports("traces")} trace, {collector.Exports("metrics")} metric and {collector.Exports("logs")} log exports");
        Console.WriteLine(exports);
        _report.Telemetry(results, pairs, exports);
    }

    /// <summary>AuthServer's resident memory after 60 s of refresh at concurrency 16.</summary>
    private async Task MemoryAsync(CancellationToken cancellationToken)
    {
        await using var session = await StartAsync("memory", cancellationToken);
        var result = await LoadGenerator.RunAsync(
            Scenarios.Create(Scenarios.Refresh, session.Target), new LoadSettings(16, TimeSpan.FromSeconds(60), TimeSpan.Zero), cancellationToken);
        var memory = session.Servers.AuthServer.Memory();
        Print(result, "60 s");
        Console.WriteLine(Invariant($"AuthServer resident memory after 60 s of refresh: {memory.Resident:F0} MB (anonymous {memory.Anonymous:F0} MB, mapped files {memory.FileBacked:F0} MB; peak {memory.Peak:F0} MB)"));
        _report.Memory(result, memory);
    }

    private async Task<LoadResult> LoadAsync(Session session, string scenario, int concurrency, string label, CancellationToken cancellationToken)
    {
        await WarmUpAsync(session, scenario, cancellationToken);
        var target = session.Target;
        var result = await LoadGenerator.RunAsync(
            Scenarios.Create(scenario, target),
            new LoadSettings(concurrency, options.Duration, options.WarmUp)
            {
                CpuOf = session.Servers.Processes(),
                Ready = ready => WaitForIdleJitAsync(session, ready),
            },
            cancellationToken);
        Print(result, label);
        await File.AppendAllTextAsync(Path.Combine(_out, "results.jsonl"), result.ToJson() + Environment.NewLine, cancellationToken);
        return result;
    }

    /// <summary>
    /// The first time a scenario runs on a session, it runs unmeasured first: at least
    /// <see cref="BenchOptions.ServerWarmUp"/>, then until the JIT of both servers and of the load
    /// generator is idle, that is until their tiered-compilation threads used at most <see cref="JitIdleShare"/> of a core
    /// over the last <see cref="JitWindow"/> (at most <see cref="MaxServerWarmUp"/> in all).
    /// </summary>
    private async Task WarmUpAsync(Session session, string scenario, CancellationToken cancellationToken)
    {
        if (options.ServerWarmUp <= TimeSpan.Zero || !session.WarmedUp.Add(scenario))
        {
            return;
        }

        Console.WriteLine(Invariant($"Warming the servers up: {scenario}, at least {options.ServerWarmUp.TotalSeconds:F0} s, then until the JIT is idle (not measured)..."));
        var processes = session.Servers.Processes().Values.ToArray();
        var elapsed = Stopwatch.StartNew();
        var idle = false;
        using var stop = new CancellationTokenSource();
        var monitor = Task.Run(async () =>
        {
            while (!idle && !stop.IsCancellationRequested)
            {
                try
                {
                    var busy = await JitActivity.BusyShareAsync(processes, JitWindow, stop.Token);
                    idle = elapsed.Elapsed >= options.ServerWarmUp && busy <= JitIdleShare;
                }
                catch (OperationCanceledException)
                {
                    // the warm-up's load ended (at its maximum) while a window was being measured
                }
            }
        }, CancellationToken.None);

        await LoadGenerator.RunAsync(
            Scenarios.Create(scenario, session.Target),
            new LoadSettings(16, MaxServerWarmUp, TimeSpan.Zero, StopWhen: () => idle), cancellationToken);
        await stop.CancelAsync();
        await monitor;
        Console.WriteLine(idle
            ? Invariant($"  the JIT was idle after {elapsed.Elapsed.TotalSeconds:F0} s")
            : Invariant($"  the JIT was still busy after {elapsed.Elapsed.TotalSeconds:F0} s: measuring anyway"));
    }

    /// <summary>
    /// Before each measured run, once its workers are ready: waits until the JIT of both servers
    /// and of the load generator is idle again (<see cref="JitIdleShare"/> of a core over
    /// <see cref="JitWindow"/>; at most <see cref="MaxServerWarmUp"/>). The workers sign in for
    /// each run, and those logins push more of AuthServer's code over the tiering threshold: its
    /// recompilation then took up to most of a core for several seconds into an api run, whose
    /// servers it does not even serve.
    /// </summary>
    private static async Task WaitForIdleJitAsync(Session session, CancellationToken cancellationToken)
    {
        var processes = session.Servers.Processes().Values.ToArray();
        var waited = Stopwatch.StartNew();
        double busy;
        while ((busy = await JitActivity.BusyShareAsync(processes, JitWindow, cancellationToken)) > JitIdleShare)
        {
            if (waited.Elapsed >= MaxServerWarmUp)
            {
                Console.WriteLine(Invariant($"  the JIT still used {busy:P0} of a core after {waited.Elapsed.TotalSeconds:F0} s: measuring anyway"));
                return;
            }
        }

        if (waited.Elapsed > JitWindow * 1.5)
        {
            Console.WriteLine(Invariant($"  waited {waited.Elapsed.TotalSeconds:F0} s for the JIT to be idle before the run"));
        }
    }

    private bool _headerPrinted;

    private void Print(LoadResult result, string label)
    {
        if (!_headerPrinted)
        {
            Console.WriteLine(BenchReport.TableHeader);
            _headerPrinted = true;
        }

        Console.WriteLine(BenchReport.TableRow(result, label));
        if (result.Cpu.Count > 0)
        {
            Console.WriteLine("  CPU per request: " + BenchReport.CpuText(result));
        }

        Console.WriteLine(result.ToJson());
        foreach (var failure in result.FailureSamples)
        {
            Console.WriteLine("  failure: " + failure);
        }
    }

    /// <summary>
    /// A server pair with fresh databases in a new folder, its users and their notes seeded; or,
    /// with <paramref name="postgreSql"/>, <paramref name="nodes"/> AuthServer nodes on that
    /// database with its users seeded (no notes: the refresh scenario reads none).
    /// </summary>
    private async Task<Session> StartAsync(
        string name, CancellationToken cancellationToken, string? postgreSql = null, int nodes = 1, OtlpCollector? telemetry = null)
    {
        var folder = Path.Combine(_out, "runs", Invariant($"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{name}"));
        Console.WriteLine(Invariant($"Starting {nodes} AuthServer and ResourceApi (Release, Benchmark environment{(postgreSql is null ? "" : ", PostgreSQL")}) in {folder}..."));
        var servers = await BenchServers.StartAsync(repositoryRoot, folder, cancellationToken, postgreSql, nodes, telemetry);
        var users = new BenchUsers("bench-", options.Users, Password);
        if (postgreSql is null)
        {
            BenchData.SeedUsers(servers.AuthServerDatabase, users);
            BenchData.SeedNotes(servers.AuthServerDatabase, servers.ResourceApiDatabase, users, NotesPerUser);
        }
        else
        {
            await BenchData.SeedUsersAsync(postgreSql, users, cancellationToken);
        }

        var otherNodes = servers.AuthServers.Skip(1).Select(node => node.Address).ToList();
        return new Session(servers, new BenchTarget(servers.AuthServer.Address, servers.ResourceApi.Address, users, otherNodes: otherNodes), folder);
    }

    /// <summary>Deletes a run's databases (the growth run's is large); the logs stay.</summary>
    private static void CleanUp(string folder)
    {
        foreach (var file in Directory.GetFiles(folder, "*.db*"))
        {
            File.Delete(file);
        }
    }

    private sealed record Session(BenchServers Servers, BenchTarget Target, string Folder) : IAsyncDisposable
    {
        /// <summary>The scenarios these servers have been warmed up with.</summary>
        public HashSet<string> WarmedUp { get; } = [];

        public async ValueTask DisposeAsync()
        {
            Target.Dispose();
            await Servers.DisposeAsync();
            CleanUp(Folder);
        }
    }
}
