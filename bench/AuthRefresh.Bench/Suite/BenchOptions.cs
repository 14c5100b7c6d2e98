using System.Globalization;

namespace AuthRefresh.Bench.Suite;

/// <summary>The command line: what to run and how hard.</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        usage: bench.sh [report | limits | password | refresh | http | api | password-storm | sweep | growth | memory | refresh-cluster | refresh-otel]... [options]
          report      (the default) limits, every scenario at its target concurrency, the password
                      storm, the sweep, growth and memory: what docs/PERFORMANCE.md quotes
          limits      the micro-benchmarks and the ceilings they imply
          password | refresh | http | api
                      one scenario, at each --concurrency, --runs times; http is GET /health/live on
                      ResourceApi (no token, no database): the api scenario's ceiling
          password-storm
                      refresh at 16 clients while password grants arrive at 4x the hash ceiling
                      (open loop): the refreshes' p99 during the storm, the password requests shed
          sweep       every scenario at concurrency 1, 4, 16 and 64, for the chart
          growth      refresh p50 with 1,000 stored tokens, then with --tokens
          memory      AuthServer's resident memory after 60 s of refresh
          refresh-cluster
                      refresh on PostgreSQL (a throw-away cluster the run starts): one AuthServer
                      node, then two nodes on one database with the requests alternating
          refresh-otel
                      refresh without an OpenTelemetry exporter, then with OTLP export to a
                      collector the run starts, in turns: what telemetry costs a refresh
        options:
          --concurrency 16,64   workers (comma-separated list; default: the scenario's target)
          --duration 10         seconds measured per run
          --warmup 3            seconds of each run before measuring
          --server-warmup 40    seconds of each scenario on newly started servers, not measured, at
                                least; it goes on until the servers' JIT is idle (at most 180 s):
                                under load the JIT needs 30-45 s to reach steady state, and the
                                first 10 s after it still run ~15 % slower
          --runs 3              runs of each; the report gives each run and their median
          --users 256           users seeded for the password grant
          --tokens 1000000      stored tokens for the growth run
          --out artifacts/bench results.jsonl, report.md, chart.svg/png and the servers' logs
          --peer                the refresh runs alternate with runs of node-oidc-provider (bench/peer,
                                installed with npm on first use), and the report gives the ratio
                                (report always does)
        """;

    public IReadOnlyList<string> Commands { get; init; } = ["report"];

    public IReadOnlyList<int>? Concurrency { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan ServerWarmUp { get; init; } = TimeSpan.FromSeconds(40);

    public int Runs { get; init; } = 3;

    public int Users { get; init; } = 256;

    public long Tokens { get; init; } = 1_000_000;

    public string Out { get; init; } = Path.Combine("artifacts", "bench");

    /// <summary>Whether refresh runs alternate with runs of the peer, node-oidc-provider.</summary>
    public bool Peer { get; init; }

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        var commands = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                commands.Add(arg);
                continue;
            }

            if (arg == "--peer")
            {
                options = options with { Peer = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{arg} needs a value.");
            }

            var value = args[++i];
            options = arg switch
            {
                "--concurrency" => options with { Concurrency = [.. value.Split(',').Select(Positive)] },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Positive(value)) },
                "--warmup" => options with { WarmUp = TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                "--server-warmup" => options with { ServerWarmUp = TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                "--runs" => options with { Runs = Positive(value) },
                "--users" => options with { Users = Positive(value) },
                "--tokens" => options with { Tokens = Positive(value) },
                "--out" => options with { Out = value },
                _ => throw new ArgumentException($"Unknown option {arg}."),
            };
        }

        return commands.Count == 0 ? options : options with { Commands = commands };
    }

    private static int Positive(string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"'{value}' is not a positive whole number.");
}
