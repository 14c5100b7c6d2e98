using System.Net;
using System.Net.Http.Headers;
using AuthRefresh.Testing;
using Npgsql;

namespace Faults.Tests;

/// <summary>
/// Two AuthServer processes on one PostgreSQL database, started at the same moment, behind no
/// balancer: the test sends each request to the node it chooses, as a balancer might.
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
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
        var shared = new Dictionary<string, string>
        {
            ["Database:Provider"] = TestDatabase.PostgreSql,
            ["ConnectionStrings:AuthServer"] = _database,
            ["Tokens:RefreshTokenReuseLeeway"] = "00:00:00",
            ["Keys:ReloadInterval"] = "00:00:01",
        };

        // Node A rotates keys (an announced key five seconds after start); node B never does, so
        // a key B publishes came from A through the database.
        _a = new AuthServerProcess(new Dictionary<string, string>(shared)
        {
            ["Keys:RotationInterval"] = "00:00:20",
            ["Keys:AnnouncePeriod"] = "00:00:15",
            ["Keys:RotationCheckInterval"] = "00:00:01",
        });
        _b = new AuthServerProcess(new Dictionary<string, string>(shared)
        {
            ["Server:Issuer"] = _a.Address.ToString(),
            ["Keys:AutomaticRotation"] = "false",
        });
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

        var keysAtStart = await KeyIdsAsync(b);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? fromA;
        while ((fromA = (await KeyIdsAsync(b)).Except(keysAtStart).FirstOrDefault()) is null)
        {
            await Task.Delay(250, timeout.Token);
        }

        Assert.Contains(fromA, await KeyIdsAsync(a));
        Assert.DoesNotContain("Key rotation:", _b.ReadLog(), StringComparison.Ordinal);
        Assert.Contains("Key rotation:", _a.ReadLog(), StringComparison.Ordinal);
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    private static Task<List<string>> KeyIdsAsync(TokenClient client) => Jwt.KeyIdsAsync(client.Http);
}
