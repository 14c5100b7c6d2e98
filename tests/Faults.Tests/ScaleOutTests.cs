using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AuthRefresh.Bench.Servers;
using AuthRefresh.Testing;
using Npgsql;

namespace Faults.Tests;

/// <summary>
/// Two AuthServer processes on one PostgreSQL database, started at the same moment, behind no
/// balancer: the test sends each request to the node it chooses, as a balancer might.
/// </summary>
public sealed partial class ScaleOutTests : IAsyncLifetime
{
    private static readonly TimeSpan PruningInterval = TimeSpan.FromSeconds(1);

    private string _database = "";
    private AuthServerProcess _a = null!;
    private AuthServerProcess _b = null!;

    public async Task InitializeAsync()
    {
        if (PostgreSqlServer.BinDirectory is null)
        {
            return;
        }

        _database = await (await PostgreSqlServer.GetAsync()).CreateDatabaseAsync("scaleout");
        // Note: one configuration for the cluster, as a deployment has: keys rotate early (an
        // announced key five seconds after start) and the pruning job runs every second.
        var cluster = new Dictionary<string, string>
        {
            ["Database:Provider"] = TestDatabase.PostgreSql,
            ["ConnectionStrings:AuthServer"] = _database,
            ["Tokens:RefreshTokenReuseLeeway"] = "00:00:00",
            ["Keys:ReloadInterval"] = "00:00:01",
            ["Keys:RotationInterval"] = "00:00:20",
            ["Keys:AnnouncePeriod"] = "00:00:15",
            ["Keys:RotationCheckInterval"] = "00:00:01",
            ["Pruning:Enabled"] = "true",
            ["Pruning:Interval"] = PruningInterval.ToString(),
        };
        _a = new AuthServerProcess(cluster);
        _b = new AuthServerProcess(new Dictionary<string, string>(cluster) { ["Server:Issuer"] = _a.Address.ToString() });
        await Task.WhenAll(_a.StartAsync(), _b.StartAsync());
    }

    public async Task DisposeAsync()
    {
        if (_a is not null)
        {
            await Task.WhenAll(_a.DisposeAsync().AsTask(), _b.DisposeAsync().AsTask());
        }
    }

    [PostgreSqlFact]
    public async Task Two_nodes_share_logins_families_and_keys()
    {
        var a = _a.CreateTokenClient();
        var b = _b.CreateTokenClient();
        Assert.Equal(HttpStatusCode.OK, (await a.Http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.Http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal("1", await ScalarAsync("""SELECT count(*) FROM "AspNetUsers" WHERE "UserName" = 'alice'"""));
        Assert.Equal("1", await ScalarAsync("""SELECT count(*) FROM "OpenIddictApplications" WHERE "ClientId" = 'sample-client'"""));

        var login = await a.LoginAsync();
        var refreshed = await b.RefreshAsync(login.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(Jwt.Read(login.AccessToken!).Kid, Jwt.Read(refreshed.AccessToken!).Kid); // one current key

        using (var api = new ResourceApiFactory(_a.Address))
        {
            using var http = api.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notes") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", refreshed.AccessToken) } };
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        }

        var replay = await a.RefreshAsync(login.RefreshToken!);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (replay.Status, replay.Error));
        var afterReplay = await b.RefreshAsync(refreshed.RefreshToken!);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (afterReplay.Status, afterReplay.Error));

        // The rotation job runs on whichever node the cluster's scheduler gives it to; both nodes
        // then publish the key it announced beside the current one.
        var current = Jwt.Read(login.AccessToken!).Kid;
        List<string> onA = [], onB = [];
        await Eventually.HoldsAsync(async () => (onA = await KeyIdsAsync(a)).Count >= 2 && (onB = await KeyIdsAsync(b)).Count >= 2, TimeSpan.FromSeconds(60));

        Assert.Contains(current, onA);
        Assert.Equal(onA.Order(), onB.Order());
        Assert.Contains("Key rotation:", _a.ReadLog() + _b.ReadLog(), StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task The_pruning_job_runs_once_per_interval_for_the_whole_cluster()
    {
        List<(DateTimeOffset Slot, string Node)> runs = [];
        await Eventually.HoldsAsync(() => Task.FromResult((runs = PruningRuns()).Count >= 8), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));

        // Each scheduled time ran on one node, and the times are one interval apart: the two nodes
        // keep one schedule between them, not one each.
        var slots = runs.Select(run => run.Slot).Order().ToList();
        Assert.Equal(slots.Count, slots.Distinct().Count());
        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.True(
            pair.Second - pair.First >= PruningInterval,
            $"Two runs {(pair.Second - pair.First).TotalMilliseconds} ms apart: {string.Join(", ", runs)}"));

        // One node made the schedule; the other, starting at the same moment, found it.
        Assert.Single(JobScheduleMade().Matches(_a.ReadLog() + _b.ReadLog()));
    }

    /// <summary>The runs of the pruning job both nodes logged: the time each was scheduled for, and the node.</summary>
    private List<(DateTimeOffset Slot, string Node)> PruningRuns()
        => [.. new[] { ("A", _a), ("B", _b) }.SelectMany(node => PruningRun().Matches(node.Item2.ReadLog())
            .Select(match => (DateTimeOffset.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), node.Item1)))];

    [GeneratedRegex(@"Pruning run scheduled for (\S+), on scheduler instance")]
    private static partial Regex PruningRun();

    [GeneratedRegex("Job schedule of prune-tokens: every")]
    private static partial Regex JobScheduleMade();

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    private static Task<List<string>> KeyIdsAsync(TokenClient client) => Jwt.KeyIdsAsync(client.Http);
}
