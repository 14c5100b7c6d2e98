using System.Net;
using AuthRefresh.Testing;
using AuthServer.Handlers;
using AuthServer.Tokens;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Server;

namespace AuthServer.Tests;

/// <summary>
/// A database written by a server with OpenIddict's own token handlers (refresh tokens as
/// encrypted JWTs in the entries: every build before this token format), then served by this one:
/// the logins it holds go on.
/// </summary>
public sealed class UpgradeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("authserver-upgrade-").FullName;

    // The issuer stays when the server restarts on another port; no leeway, so a replay is a replay at once.
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Server:Issuer"] = "http://authserver.test/",
        ["Tokens:RefreshTokenReuseLeeway"] = "00:00:00",
    };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_login_whose_refresh_tokens_OpenIddict_wrote_itself_goes_on_after_the_upgrade()
    {
        OAuthResponse login, rotated;
        using (var before = new AuthServerFactory(Settings, databaseDirectory: _directory, services: WithOpenIddictsOwnTokenHandlers))
        {
            var client = before.CreateTokenClient();
            login = await client.LoginAsync();
            rotated = await client.RefreshAsync(login.RefreshToken!);
            Assert.Equal(HttpStatusCode.OK, rotated.Status);
            Assert.False(RefreshTokenFormat.IsOwn(await PayloadAsync(before, rotated.RefreshToken!)));
        }

        using var after = new AuthServerFactory(Settings, databaseDirectory: _directory);
        var upgraded = after.CreateTokenClient();

        Assert.True((await upgraded.IntrospectAsync(rotated.AccessToken!)).Json.GetProperty("active").GetBoolean());
        var refreshed = await upgraded.RefreshAsync(rotated.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.True(RefreshTokenFormat.IsOwn(await PayloadAsync(after, refreshed.RefreshToken!)));
        Assert.Equal(HttpStatusCode.OK, (await upgraded.UserInfoAsync(refreshed.AccessToken)).Status);

        // The login's history came along: a replay of its first token, redeemed before the
        // upgrade, ends it.
        Assert.Equal("invalid_grant", (await upgraded.RefreshAsync(login.RefreshToken!)).Error);
        Assert.Equal("invalid_grant", (await upgraded.RefreshAsync(refreshed.RefreshToken!)).Error);
    }

    private static async Task<string?> PayloadAsync(AuthServerFactory factory, string handle)
    {
        using var scope = factory.Services.CreateScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        return await tokens.GetPayloadAsync((await tokens.FindByReferenceIdAsync(handle))!);
    }

    /// <summary>Puts OpenIddict's default token handlers back in place of this server's.</summary>
    private static void WithOpenIddictsOwnTokenHandlers(IServiceCollection services)
    {
        var defaults = ServerHandlers.Replaced.Select(pair => pair.Default).ToList();
        var own = ServerHandlers.Replaced.Select(pair => pair.Replacement).Concat(ServerHandlers.Added)
            .OfType<OpenIddictServerHandlerDescriptor>()
            .Where(descriptor => descriptor != SkipIdentityTokenStorage.Descriptor)
            .Select(descriptor => descriptor.ServiceDescriptor.ServiceType)
            .ToHashSet();
        foreach (var descriptor in defaults)
        {
            services.Add(descriptor.ServiceDescriptor);
        }

        // Note: after OpenIddict's own post-configuration, which sorts the handlers.
        services.PostConfigure<OpenIddictServerOptions>(options =>
        {
            options.Handlers.RemoveAll(handler => own.Contains(handler.ServiceDescriptor.ServiceType));
            options.Handlers.AddRange(defaults);
            options.Handlers.Sort((left, right) => left.Order.CompareTo(right.Order));
        });
    }
}
