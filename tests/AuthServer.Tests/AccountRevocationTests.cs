using System.Net;
using AuthRefresh.Testing;
using AuthServer.Data;
using Microsoft.AspNetCore.Identity;

namespace AuthServer.Tests;

/// <summary>
/// A password change, a reset, a lockout, a deletion and "sign out everywhere" revoke every token
/// of the user at once: the refresh tokens stop working and the access tokens turn inactive.
/// </summary>
public sealed class AccountRevocationTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly TokenClient _client = server.Factory.CreateTokenClient();

    public static TheoryData<string> Events => ["change password", "reset password", "remove password", "lock out", "sign out everywhere", "delete"];

    [Theory]
    [MemberData(nameof(Events))]
    public async Task An_account_event_revokes_every_token_of_the_user(string accountEvent)
    {
        var user = await TestUsers.CreateAsync(server.Factory);
        var first = await _client.LoginAsync(user, TestUsers.Password);
        var second = await _client.LoginAsync(user, TestUsers.Password);
        var bystander = await _client.LoginAsync();

        await TestUsers.ChangeAsync(server.Factory, user, (users, u) => Apply(accountEvent, users, u));

        foreach (var login in new[] { first, second })
        {
            Assert.False(await IsActiveAsync(login.AccessToken!), $"{accountEvent}: access token still active");
            Assert.Equal("invalid_grant", (await _client.RefreshAsync(login.RefreshToken!)).Error);
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
        "sign out everywhere" => await users.UpdateSecurityStampAsync(user),
        "delete" => await users.DeleteAsync(user),
        _ => throw new ArgumentOutOfRangeException(nameof(accountEvent)),
    };

    private async Task<bool> IsActiveAsync(string accessToken)
        => (await _client.IntrospectAsync(accessToken)).Json.GetProperty("active").GetBoolean();
}
