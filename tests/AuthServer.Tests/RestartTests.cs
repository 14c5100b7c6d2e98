using System.Net;
using AuthRefresh.Testing;
using AuthServer.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests;

public sealed class RestartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("authserver-restart-").FullName;

    // A restarted server keeps its issuer, although the test's port changes.
    private static readonly Dictionary<string, string?> Settings = new() { ["Server:Issuer"] = "http://authserver.test/" };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_restarted_server_on_the_same_database_accepts_the_tokens_it_issued_before()
    {
        OAuthResponse login;
        string keysBefore;
        using (var before = new AuthServerFactory(Settings, databaseDirectory: _directory))
        {
            var client = before.CreateTokenClient();
            login = await client.LoginAsync();
            keysBefore = await KeyIdsAsync(client.Http);
        }

        using var after = new AuthServerFactory(Settings, databaseDirectory: _directory);
        var restarted = after.CreateTokenClient();

        var validation = await Jwt.ValidateAsync(restarted.Http, login.AccessToken!, "resource-api");
        var introspection = await restarted.IntrospectAsync(login.AccessToken!);
        var userInfo = await restarted.UserInfoAsync(login.AccessToken);
        var refresh = await restarted.RefreshAsync(login.RefreshToken!);

        Assert.Equal(keysBefore, await KeyIdsAsync(restarted.Http));
        Assert.True(validation.IsValid, validation.Exception?.Message);
        Assert.True(introspection.Json.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, userInfo.Status);
        Assert.Equal(HttpStatusCode.OK, refresh.Status);
    }

    [Fact]
    public async Task After_a_key_rotation_and_a_restart_new_tokens_use_the_new_key_and_old_tokens_stay_valid()
    {
        OAuthResponse login;
        IReadOnlyList<string> created;
        using (var before = new AuthServerFactory(Settings, databaseDirectory: _directory))
        {
            login = await before.CreateTokenClient().LoginAsync();
            using var scope = before.Services.CreateScope();
            created = await scope.ServiceProvider.GetRequiredService<KeyStore>().RotateAsync(TimeSpan.Zero, CancellationToken.None);
        }

        using var after = new AuthServerFactory(Settings, databaseDirectory: _directory);
        var client = after.CreateTokenClient();
        var fresh = await client.LoginAsync();
        var jwks = await KeyIdsAsync(client.Http);

        var newKey = created.Single(k => k.StartsWith("sig:", StringComparison.Ordinal))["sig:".Length..];
        Assert.Equal(newKey, Jwt.Read(fresh.AccessToken!).Kid);
        Assert.NotEqual(newKey, Jwt.Read(login.AccessToken!).Kid);
        Assert.Contains(newKey, jwks, StringComparison.Ordinal);
        Assert.Contains(Jwt.Read(login.AccessToken!).Kid, jwks, StringComparison.Ordinal);
        Assert.True((await Jwt.ValidateAsync(client.Http, login.AccessToken!, "resource-api")).IsValid);
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(login.RefreshToken!)).Status);
    }

    [Fact]
    public async Task Changing_the_signing_algorithm_makes_a_new_key_at_start_and_keeps_the_old_tokens_valid()
    {
        OAuthResponse login;
        using (var before = new AuthServerFactory(
            new Dictionary<string, string?>(Settings) { ["Keys:SigningAlgorithm"] = "RS256" }, databaseDirectory: _directory))
        {
            login = await before.CreateTokenClient().LoginAsync();
        }

        using var after = new AuthServerFactory(Settings, databaseDirectory: _directory);
        var client = after.CreateTokenClient();
        var fresh = await client.LoginAsync();
        var refreshed = await client.RefreshAsync(login.RefreshToken!);

        Assert.Equal("RS256", Jwt.Read(login.AccessToken!).Alg);
        Assert.Equal("ES256", Jwt.Read(fresh.AccessToken!).Alg);
        Assert.Equal("ES256", Jwt.Read(refreshed.AccessToken!).Alg);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.True((await Jwt.ValidateAsync(client.Http, login.AccessToken!, "resource-api")).IsValid);
        Assert.True((await Jwt.ValidateAsync(client.Http, fresh.AccessToken!, "resource-api")).IsValid);
    }

    private static async Task<string> KeyIdsAsync(HttpClient http) => string.Join(",", await Jwt.KeyIdsAsync(http));
}
