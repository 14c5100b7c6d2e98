using AuthRefresh.Bench.Data;
using AuthRefresh.Bench.Load;
using AuthRefresh.Bench.Suite;
using AuthRefresh.Shared;
using AuthRefresh.Testing;

namespace Bench.Tests;

/// <summary>
/// The load generator's scenarios, two seconds each, against a real AuthServer (in the Benchmark
/// environment the benchmark uses) and ResourceApi on Kestrel. This checks that the harness works,
/// not how fast the servers are: speed is measured by bench.sh.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class HarnessSmokeTests : IDisposable
{
    private readonly AuthServerFactory _authServer = new(
        new Dictionary<string, string?>
        {
            ["Clients:sample-client:Secret"] = "smoke-test-secret-0123456789abcdefghijklmnop",
            ["Clients:resource-api:Secret"] = "smoke-test-secret-abcdefghijklmnop0123456789",
        },
        environment: HostingEnvironments.Benchmark);

    private readonly ResourceApiFactory _resourceApi;

    public HarnessSmokeTests() => _resourceApi = new ResourceApiFactory(_authServer.Address);

    private string Database => Path.Combine(_authServer.DatabaseDirectory, "authserver.db");

    public void Dispose()
    {
        _resourceApi.Dispose();
        _authServer.Dispose();
    }

    [Fact]
    public async Task Every_scenario_runs_two_seconds_without_an_error()
    {
        var users = new BenchUsers("smoke-", 4, BenchSuite.Password);
        BenchData.SeedUsers(Database, users);
        using var target = new BenchTarget(_authServer.Address, _resourceApi.Address, users);

        foreach (var scenario in Scenarios.All)
        {
            var result = await LoadGenerator.RunAsync(
                Scenarios.Create(scenario, target), new LoadSettings(4, TimeSpan.FromSeconds(2), TimeSpan.Zero));

            Assert.True(result.Requests > 0, $"{scenario}: no request completed");
            Assert.True(result.ErrorCount == 0, $"{scenario}: {result.ToJson()} {string.Join("; ", result.FailureSamples)}");
            Assert.InRange(result.P50Ms, 0.01, result.MaxMs);
        }
    }

    [Fact]
    public async Task Seeded_users_read_their_seeded_notes_through_the_api()
    {
        var users = new BenchUsers("smoke-", 2, BenchSuite.Password);
        BenchData.SeedUsers(Database, users);
        _ = _resourceApi.Address; // started: its database is created and migrated
        BenchData.SeedNotes(Database, Path.Combine(_resourceApi.DatabaseDirectory, "resourceapi.db"), users, 5);
        var login = await _authServer.CreateTokenClient().PasswordAsync(users.Name(1), users.Password, scope: BenchTarget.Scope);
        using var api = _resourceApi.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", login.AccessToken);

        var notes = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/notes", UriKind.Relative))).RootElement;

        Assert.Equal(5, notes.GetArrayLength());
        Assert.All(notes.EnumerateArray(), note => Assert.True(note.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5)));
    }

    [Fact]
    public async Task Refused_requests_are_counted_as_errors_by_status_code()
    {
        var seeded = new BenchUsers("smoke-", 2, BenchSuite.Password);
        BenchData.SeedUsers(Database, seeded);
        using var target = new BenchTarget(_authServer.Address, _resourceApi.Address, seeded with { Password = "not-the-password" });

        var result = await LoadGenerator.RunAsync(
            Scenarios.Create(Scenarios.Password, target), new LoadSettings(2, TimeSpan.FromSeconds(1), TimeSpan.Zero));

        Assert.True(result.Requests > 0);
        Assert.Equal(result.Requests, result.Errors["400"]);
    }
}
