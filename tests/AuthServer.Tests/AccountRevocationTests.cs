using System.Net;
using AuthRefresh.Testing;
using AuthServer.Data;
using Microsoft.AspNetCore.Identity;

namespace AuthServer.Tests;

/// <summary>
/// A password change, a reset, a lockout, a role given or taken, a deletion and "sign out
/// everywhere" revoke every token of the user at once: the refresh tokens stop working and every
/// token of theirs, access and refresh, turns inactive at introspection.
/// </summary>
public sealed class AccountRevocationTests(AccountRevocationTests.Server server) : IClassFixture<AccountRevocationTests.Server>
{
    private readonly TokenClient _client = server.Factory.CreateTokenClient();

    public static TheoryData<string> Events => ["change password", "reset password", "remove password", "lock out", "add role", "remove role", "sign out everywhere", "delete"];

    [Theory]
    [MemberData(nameof(Events))]
    public async Task An_account_event_revokes_every_token_of_the_user(string accountEvent)
    {
        var user = await TestUsers.CreateAsync(server.Factory);
        if (accountEvent == "remove role")
        {
            await TestUsers.ChangeAsync(server.Factory, user, (users, u) => users.AddToRoleAsync(u, UsersSeed.AdminRole));
        }

        // Note: a refresh token can be introspected by the client it was issued to only, so one
        // login is a confidential client's that may introspect.
        var confidential = await _client.PasswordAsync(user, TestUsers.Password, "openid offline_access notes", Server.ClientId, Server.Secret);
        Assert.Equal(HttpStatusCode.OK, confidential.Status);
        var mobile = await _client.LoginAsync(user, TestUsers.Password);
        var bystander = await _client.LoginAsync();
        Assert.True(await IsActiveAsync(confidential.RefreshToken!, Server.ClientId, Server.Secret), "a live refresh token is active");

        await TestUsers.ChangeAsync(server.Factory, user, (users, u) => Apply(accountEvent, users, u));

        Assert.False(await IsActiveAsync(confidential.RefreshToken!, Server.ClientId, Server.Secret), $"{accountEvent}: refresh token still active");
        Assert.Equal("invalid_grant", (await _client.RefreshAsync(confidential.RefreshToken!, Server.ClientId, Server.Secret)).Error);
        Assert.Equal("invalid_grant", (await _client.RefreshAsync(mobile.RefreshToken!)).Error);
        foreach (var login in new[] { confidential, mobile })
        {
            Assert.False(await IsActiveAsync(login.AccessToken!), $"{accountEvent}: access token still active");
        }

        Assert.True(await IsActiveAsync(bystander.AccessToken!), "another user's token was revoked");
    }

    [Fact]
    public async Task Being_locked_out_by_failed_passwords_revokes_the_earlier_logins()
    {
        var user = await TestUsers.CreateAsync(server.Factory);
        var login = await _client.LoginAsync(user, TestUsers.Password);

        for (var i = 0; i < 5; i++)
        {
            await _client.PasswordAsync(user, "wrong");
        }

        Assert.False(await IsActiveAsync(login.AccessToken!));
        Assert.Equal("invalid_grant", (await _client.RefreshAsync(login.RefreshToken!)).Error);
    }

    [Fact]
    public async Task A_failed_password_that_does_not_lock_revokes_nothing()
    {
        var user = await TestUsers.CreateAsync(server.Factory);
        var login = await _client.LoginAsync(user, TestUsers.Password);

        await _client.PasswordAsync(user, "wrong");

        Assert.True(await IsActiveAsync(login.AccessToken!));
        Assert.Equal(HttpStatusCode.OK, (await _client.RefreshAsync(login.RefreshToken!)).Status);
    }

    [Fact]
    public async Task Turning_on_two_factor_authentication_ends_the_password_grant_for_that_user()
    {
        var user = await TestUsers.CreateAsync(server.Factory);
        var login = await _client.LoginAsync(user, TestUsers.Password);

        await TestUsers.ChangeAsync(server.Factory, user, (users, u) => users.SetTwoFactorEnabledAsync(u, true));
        var again = await _client.PasswordAsync(user, TestUsers.Password);

        Assert.Equal("invalid_grant", again.Error);
        Assert.Equal(AuthRefresh.Shared.TokenErrors.TwoFactorRequired, again.ErrorDescription);
        Assert.Equal("invalid_grant", (await _client.RefreshAsync(login.RefreshToken!)).Error);
    }

    private static async Task<IdentityResult> Apply(string accountEvent, UserManager<ApplicationUser> users, ApplicationUser user) => accountEvent switch
    {
        "change password" => await users.ChangePasswordAsync(user, TestUsers.Password, "Changed123$"),
        "reset password" => await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), "Reset123$"),
        "remove password" => await users.RemovePasswordAsync(user),
        "lock out" => await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddHours(1)),
        "add role" => await users.AddToRoleAsync(user, UsersSeed.AdminRole),
        "remove role" => await users.RemoveFromRoleAsync(user, UsersSeed.AdminRole),
        "sign out everywhere" => await users.UpdateSecurityStampAsync(user),
        "delete" => await users.DeleteAsync(user),
        _ => throw new ArgumentOutOfRangeException(nameof(accountEvent)),
    };

    private async Task<bool> IsActiveAsync(string token, string clientId = TokenClient.ResourceApi, string secret = TokenClient.ResourceApiSecret)
    {
        var introspection = await _client.IntrospectAsync(token, clientId, secret);
        Assert.True(introspection.Json.TryGetProperty("active", out var active), introspection.Raw);
        return active.GetBoolean();
    }

    /// <summary>An AuthServer with one more client: confidential, and allowed to introspect its own tokens.</summary>
    public sealed class Server : IDisposable
    {
        public const string ClientId = "introspecting-app";
        public const string Secret = "introspecting-app-secret-0123456789abcdef";

        public AuthServerFactory Factory { get; } = new(new Dictionary<string, string?>
        {
            [$"Clients:{ClientId}:DisplayName"] = "A confidential app that introspects",
            [$"Clients:{ClientId}:Type"] = "confidential",
            [$"Clients:{ClientId}:Secret"] = Secret,
            [$"Clients:{ClientId}:Endpoints:0"] = "token",
            [$"Clients:{ClientId}:Endpoints:1"] = "introspection",
            [$"Clients:{ClientId}:GrantTypes:0"] = "password",
            [$"Clients:{ClientId}:GrantTypes:1"] = "refresh_token",
            [$"Clients:{ClientId}:Scopes:0"] = "openid",
            [$"Clients:{ClientId}:Scopes:1"] = "offline_access",
            [$"Clients:{ClientId}:Scopes:2"] = "notes",
        });

        public void Dispose() => Factory.Dispose();
    }
}
