using AuthRefresh.Shared;
using AuthRefresh.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using SampleClient.Tokens;

namespace SampleClient.Tests;

/// <summary>
/// The refresh logic against a real AuthServer with no reuse leeway: any stale refresh token that
/// SampleClient presented would revoke the whole session at once.
/// </summary>
public sealed class TokenSessionServiceTests : IDisposable
{
    private readonly AuthServerFactory _authServer = new(new Dictionary<string, string?> { ["Tokens:RefreshTokenReuseLeeway"] = "00:00:00" });
    private readonly List<SampleClientFactory> _clients = [];
    private readonly TempDirectory _sharedFolder = new();

    public void Dispose()
    {
        _clients.ForEach(client => client.Dispose());
        _authServer.Dispose();
        _sharedFolder.Dispose();
    }

    [Fact]
    public async Task A_data_request_in_demonstration_mode_rotates_the_refresh_token()
    {
        var sessions = Start(demonstrationMode: true);
        var signedIn = await sessions.SignInAsync("alice", "Pass123$", CancellationToken.None);

        var page = await sessions.GetAsync(signedIn.SessionId, dataRequest: false, CancellationToken.None);
        var data = await sessions.GetAsync(signedIn.SessionId, dataRequest: true, CancellationToken.None);

        Assert.Equal(signedIn.RefreshToken, page.RefreshToken);
        Assert.NotEqual(signedIn.RefreshToken, data.RefreshToken);
        Assert.NotEqual(signedIn.AccessToken, data.AccessToken);
        var rotation = data.Rotations[0];
        Assert.Equal(RefreshPolicy.DataRequest, rotation.Reason);
        Assert.Equal(TokenSessionService.Fingerprint(signedIn.RefreshToken), rotation.OldRefreshToken);
        Assert.Equal(TokenSessionService.Fingerprint(data.RefreshToken), rotation.NewRefreshToken);
    }

    [Fact]
    public async Task Without_demonstration_mode_a_fresh_access_token_is_used_as_it_is()
    {
        var sessions = Start(demonstrationMode: false);
        var signedIn = await sessions.SignInAsync("alice", "Pass123$", CancellationToken.None);

        var data = await sessions.GetAsync(signedIn.SessionId, dataRequest: true, CancellationToken.None);

        Assert.Equal(signedIn.AccessToken, data.AccessToken);
        Assert.Single(data.Rotations);
    }

    [Fact]
    public async Task Parallel_data_requests_of_one_session_are_serialised_and_never_present_a_stale_token()
    {
        var sessions = Start(demonstrationMode: true);
        var signedIn = await sessions.SignInAsync("alice", "Pass123$", CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(_ => Task.Run(() => sessions.GetAsync(signedIn.SessionId, dataRequest: true, CancellationToken.None))));

        Assert.Equal(12, results.Select(r => r.RefreshToken).Distinct().Count());
        var last = await sessions.GetAsync(signedIn.SessionId, dataRequest: true, CancellationToken.None);

        // Each rotation presented the refresh token the one before it received.
        var chain = last.Rotations.Reverse().ToList();
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].NewRefreshToken, chain[i].OldRefreshToken);
        }

        Assert.Equal(10, chain.Count); // the history keeps the last 10
    }

    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [PostgreSqlData]
    public async Task Two_nodes_on_one_database_never_both_redeem_a_session_refresh_token(string provider)
    {
        var database = await TestDatabase.SettingsAsync(provider, "SampleClient");
        var nodes = new[] { Start(demonstrationMode: true, database, _sharedFolder.Path), Start(demonstrationMode: true, database, _sharedFolder.Path) };
        var signedIn = await nodes[0].SignInAsync("alice", "Pass123$", CancellationToken.None);

        // With no reuse leeway at AuthServer, one refresh token presented twice ends the session.
        var results = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(i => Task.Run(() => nodes[i % 2].GetAsync(signedIn.SessionId, dataRequest: true, CancellationToken.None))));

        Assert.Equal(16, results.Select(r => r.RefreshToken).Distinct().Count());
        var last = await nodes[1].GetAsync(signedIn.SessionId, dataRequest: true, CancellationToken.None);
        var chain = last.Rotations.Reverse().ToList();
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].NewRefreshToken, chain[i].OldRefreshToken);
        }
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_session()
    {
        var sessions = Start(demonstrationMode: true);
        var signedIn = await sessions.SignInAsync("alice", "Pass123$", CancellationToken.None);
        await _authServer.CreateTokenClient().RevokeAsync(signedIn.RefreshToken, TokenClient.SampleClient, TokenClient.SampleSecret);

        await Assert.ThrowsAsync<SessionEndedException>(() => sessions.GetAsync(signedIn.SessionId, dataRequest: true, CancellationToken.None));

        Assert.False(await sessions.ExistsAsync(signedIn.SessionId, CancellationToken.None));
    }

    [Fact]
    public async Task Signing_out_revokes_the_refresh_token_at_AuthServer()
    {
        var sessions = Start(demonstrationMode: true);
        var signedIn = await sessions.SignInAsync("alice", "Pass123$", CancellationToken.None);

        await sessions.SignOutAsync(signedIn.SessionId, CancellationToken.None);

        var refresh = await _authServer.CreateTokenClient().RefreshAsync(signedIn.RefreshToken, TokenClient.SampleClient, TokenClient.SampleSecret);
        Assert.Equal("invalid_grant", refresh.Error);
        Assert.False(await sessions.ExistsAsync(signedIn.SessionId, CancellationToken.None));
    }

    [Fact]
    public async Task Tokens_are_stored_encrypted()
    {
        var sessions = Start(demonstrationMode: true);
        var signedIn = await sessions.SignInAsync("alice", "Pass123$", CancellationToken.None);

        using var scope = _clients[^1].Services.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<SampleClientDbContext>().Sessions.SingleAsync();

        Assert.DoesNotContain(signedIn.RefreshToken, stored.ProtectedRefreshToken, StringComparison.Ordinal);
        Assert.DoesNotContain(signedIn.AccessToken.Split('.')[1], stored.ProtectedAccessToken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_locked_account_answers_as_a_wrong_password()
    {
        var sessions = Start(demonstrationMode: true);
        var user = await TestUsers.CreateAsync(_authServer);
        await TestUsers.ChangeAsync(_authServer, user, (users, u) => users.SetLockoutEndDateAsync(u, DateTimeOffset.UtcNow.AddHours(1)));

        var locked = await Assert.ThrowsAsync<OpenIddictExceptions.ProtocolException>(() => sessions.SignInAsync(user, TestUsers.Password, CancellationToken.None));
        var wrong = await Assert.ThrowsAsync<OpenIddictExceptions.ProtocolException>(() => sessions.SignInAsync("alice", "wrong", CancellationToken.None));

        Assert.Equal(TokenErrors.InvalidCredentials, locked.ErrorDescription);
        Assert.Equal(wrong.Error, locked.Error);
        Assert.Equal(TokenErrors.InvalidCredentials, wrong.ErrorDescription);
    }

    [Fact]
    public async Task While_AuthServer_is_away_the_session_and_its_tokens_are_kept_and_the_refresh_works_once_it_is_back()
    {
        using var folder = new TempDirectory();
        var port = AuthServerFactory.FreePort();
        var settings = new Dictionary<string, string?> { ["Tokens:RefreshTokenReuseLeeway"] = "00:00:00" };
        var away = new AuthServerFactory(settings, folder.Path, port: port);
        var sessions = Start(demonstrationMode: true, issuer: away.Address);
        var signedIn = await sessions.SignInAsync("alice", "Pass123$", CancellationToken.None);
        away.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await Assert.ThrowsAsync<AuthServerUnavailableException>(() => sessions.GetAsync(signedIn.SessionId, dataRequest: true, CancellationToken.None));
        var kept = await sessions.PeekAsync(signedIn.SessionId, CancellationToken.None);

        Assert.Equal(signedIn.RefreshToken, kept.RefreshToken);
        using var back = new AuthServerFactory(settings, folder.Path, port: port);
        _ = back.Address;
        var refreshed = await sessions.GetAsync(signedIn.SessionId, dataRequest: true, CancellationToken.None);
        Assert.NotEqual(signedIn.RefreshToken, refreshed.RefreshToken);
        Assert.Equal(TokenSessionService.Fingerprint(signedIn.RefreshToken), refreshed.Rotations[0].OldRefreshToken);
    }

    private TokenSessionService Start(bool demonstrationMode, Dictionary<string, string?>? database = null, string? databaseDirectory = null, Uri? issuer = null)
    {
        var client = new SampleClientFactory(
            issuer ?? _authServer.Address,
            new Uri("http://127.0.0.1:9/"), // ResourceApi is not called here
            new Dictionary<string, string?>(database ?? []) { ["SampleClient:RefreshOnEveryDataRequest"] = demonstrationMode.ToString() },
            databaseDirectory);
        _clients.Add(client);
        return client.Services.GetRequiredService<TokenSessionService>();
    }
}
