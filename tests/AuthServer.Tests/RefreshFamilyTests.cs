using System.Net;
using AuthRefresh.Testing;
using AuthServer.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tests;

/// <summary>
/// A refresh-token family (one login) under concurrency, RFC 9700 §4.14.2: of many presentations
/// of one token there is one successor; a replay ends the whole login, whatever runs beside it;
/// a lost answer can be fetched again; revoking a refresh token ends its grant (RFC 7009 §2.1).
/// Each test runs on SQLite and on PostgreSQL, with its own server and database.
/// </summary>
public sealed class RefreshFamilyTests : IDisposable
{
    private const int Rounds = 10;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly DropAnswer _dropper = new();
    private AuthServerFactory? _factory;

    public void Dispose() => _factory?.Dispose();

    private Task<TokenClient> StartAsync(string database, string leeway) => StartAsync(database, leeway, services: null);

    private async Task<TokenClient> StartAsync(string database, string leeway, Action<IServiceCollection>? services)
    {
        var settings = await TestDatabase.SettingsAsync(database, "AuthServer");
        settings["Tokens:RefreshTokenReuseLeeway"] = leeway;
        _factory = new AuthServerFactory(settings, time: _time, services: services);
        return _factory.CreateTokenClient();
    }

    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [PostgreSqlData]
    public async Task Concurrent_presentations_of_one_token_all_get_the_same_successor(string database)
    {
        var client = await StartAsync(database, "00:00:10");

        for (var round = 0; round < Rounds; round++)
        {
            var login = await client.LoginAsync(scope: "openid offline_access notes");

            var answers = await AtOnce.RunAsync(64, () => client.RefreshAsync(login.RefreshToken!));

            Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
            var successor = Assert.Single(answers.Select(a => a.RefreshToken).Distinct());
            Assert.NotEqual(login.RefreshToken, successor);
            Assert.Equal(2, await RefreshTokenEntriesAsync(login.AccessToken!));

            // One chain: the successor works, and its successor too.
            var next = await client.RefreshAsync(successor!);
            Assert.Equal(HttpStatusCode.OK, next.Status);
            Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(next.RefreshToken!)).Status);
        }
    }

    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [PostgreSqlData]
    public async Task Without_a_leeway_concurrent_presentations_leave_one_working_chain_or_a_revoked_login(string database)
    {
        var client = await StartAsync(database, "00:00:00");

        for (var round = 0; round < Rounds; round++)
        {
            var login = await client.LoginAsync(scope: "openid offline_access notes");

            var answers = await AtOnce.RunAsync(64, () => client.RefreshAsync(login.RefreshToken!));

            Assert.All(answers, answer => Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, answer.Raw));
            var granted = answers.Where(a => a.Status == HttpStatusCode.OK).ToList();
            Assert.True(granted.Select(a => a.RefreshToken).Distinct().Count() <= 1, "two different successors were handed out");
            var accessTokens = granted.Select(a => a.AccessToken!).Append(login.AccessToken!).ToList();

            if (answers.Any(a => a.Error == Errors.InvalidGrant))
            {
                // A replay was seen: the whole login is over, the successor included.
                foreach (var refreshToken in granted.Select(a => a.RefreshToken!).Append(login.RefreshToken!).Distinct())
                {
                    Assert.Equal(Errors.InvalidGrant, (await client.RefreshAsync(refreshToken)).Error);
                }

                foreach (var accessToken in accessTokens)
                {
                    Assert.False(await IsActiveAsync(client, accessToken));
                }

                Assert.Equal(Statuses.Revoked, await AuthorizationStatusAsync(login.AccessToken!));
            }
            else
            {
                var only = Assert.Single(granted);
                Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(only.RefreshToken!)).Status);
            }
        }
    }

    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [PostgreSqlData]
    public async Task A_replay_after_the_leeway_raced_against_refreshes_of_the_live_token_leaves_nothing_of_the_login(string database)
    {
        var client = await StartAsync(database, "00:00:10");

        for (var round = 0; round < Rounds; round++)
        {
            var login = await client.LoginAsync(scope: "openid offline_access notes");
            var live = await client.RefreshAsync(login.RefreshToken!);
            _time.Advance(TimeSpan.FromSeconds(11));

            var replay = client.RefreshAsync(login.RefreshToken!);
            var refreshes = AtOnce.RunAsync(8, () => client.RefreshAsync(live.RefreshToken!));
            var answers = (await refreshes).Append(await replay).ToList();

            Assert.All(answers, answer => Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, answer.Raw));
            var refreshTokens = answers.Where(a => a.RefreshToken is not null).Select(a => a.RefreshToken!)
                .Append(live.RefreshToken!).Append(login.RefreshToken!).Distinct();
            foreach (var refreshToken in refreshTokens)
            {
                Assert.Equal(Errors.InvalidGrant, (await client.RefreshAsync(refreshToken)).Error);
            }

            var accessTokens = answers.Where(a => a.AccessToken is not null).Select(a => a.AccessToken!)
                .Append(live.AccessToken!).Append(login.AccessToken!);
            foreach (var accessToken in accessTokens)
            {
                Assert.False(await IsActiveAsync(client, accessToken));
                Assert.Equal(HttpStatusCode.Unauthorized, (await client.UserInfoAsync(accessToken)).Status);
            }

            Assert.Equal(Statuses.Revoked, await AuthorizationStatusAsync(login.AccessToken!));
        }
    }

    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [PostgreSqlData]
    public async Task A_refresh_whose_answer_was_lost_gets_the_same_successor_when_retried_within_the_leeway(string database)
    {
        var client = await StartAsync(database, "00:00:10", services => services.AddOpenIddict().AddServer(server => server.AddEventHandler(DropAnswer.Descriptor))
            .Services.AddSingleton(_dropper));
        var login = await client.LoginAsync(scope: "openid offline_access notes");

        _dropper.Armed = true;
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.RefreshAsync(login.RefreshToken!));
        _dropper.Armed = false;
        _time.Advance(TimeSpan.FromSeconds(5));
        var retry = await client.RefreshAsync(login.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.NotNull(_dropper.Dropped);
        Assert.Equal(_dropper.Dropped, retry.RefreshToken);
        Assert.Equal(2, await RefreshTokenEntriesAsync(login.AccessToken!));
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(retry.RefreshToken!)).Status);
    }

    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [PostgreSqlData]
    public async Task Revoking_the_latest_refresh_token_ends_every_access_token_of_the_login(string database)
    {
        var client = await StartAsync(database, "00:00:10");
        var login = await client.LoginAsync(scope: "openid offline_access notes");
        var answers = new List<OAuthResponse> { login };
        for (var rotation = 0; rotation < 3; rotation++)
        {
            answers.Add(await client.RefreshAsync(answers[^1].RefreshToken!));
        }

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        var other = await client.LoginAsync(scope: "openid offline_access notes");

        var revoke = await client.RevokeAsync(answers[^1].RefreshToken!, hint: "refresh_token");

        Assert.Equal(HttpStatusCode.OK, revoke.Status);
        foreach (var answer in answers)
        {
            Assert.False(await IsActiveAsync(client, answer.AccessToken!));
        }

        Assert.Equal(Errors.InvalidGrant, (await client.RefreshAsync(answers[^1].RefreshToken!)).Error);
        Assert.Equal(Statuses.Revoked, await AuthorizationStatusAsync(login.AccessToken!));

        // Another login of the same user is another grant.
        Assert.True(await IsActiveAsync(client, other.AccessToken!));
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(other.RefreshToken!)).Status);
    }

    private static async Task<bool> IsActiveAsync(TokenClient client, string accessToken)
        => (await client.IntrospectAsync(accessToken)).Json.GetProperty("active").GetBoolean();

    /// <summary>The refresh-token entries of the login an access token belongs to.</summary>
    private async Task<int> RefreshTokenEntriesAsync(string accessToken)
    {
        var login = LoginOf(accessToken);
        await using var database = Database();
        return await database.Db.Set<OpenIddictEntityFrameworkCoreToken>()
            .CountAsync(t => t.Authorization!.Id == login && t.Type == TokenTypeIdentifiers.RefreshToken);
    }

    private async Task<string?> AuthorizationStatusAsync(string accessToken)
    {
        var login = LoginOf(accessToken);
        await using var database = Database();
        return await database.Db.Set<OpenIddictEntityFrameworkCoreAuthorization>().Where(a => a.Id == login).Select(a => a.Status).SingleAsync();
    }

    private static string LoginOf(string accessToken) => Jwt.Read(accessToken).GetClaim(Claims.Private.AuthorizationId).Value;

    /// <summary>The server's own database, through a context of its own (disposed with the scope).</summary>
    private AsyncServiceScopeContext Database() => new(_factory!.Services.CreateAsyncScope());

    private sealed class AsyncServiceScopeContext(AsyncServiceScope scope) : IAsyncDisposable
    {
        public ApplicationDbContext Db { get; } = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    /// <summary>
    /// When armed, drops the connection after the token endpoint has done its work (the refresh
    /// is committed) instead of sending the answer, as a crash or a network fault would.
    /// </summary>
    private sealed class DropAnswer : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; }
            = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
                .UseSingletonHandler<DropAnswer>()
                .SetOrder(int.MinValue)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public bool Armed { get; set; }

        public string? Dropped { get; private set; }

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (Armed && context.Request?.IsRefreshTokenGrantType() == true && context.Response.RefreshToken is { } refreshToken)
            {
                Dropped = refreshToken;
                context.Transaction.GetHttpRequest()!.HttpContext.Abort();
                context.HandleRequest();
            }

            return ValueTask.CompletedTask;
        }
    }
}
