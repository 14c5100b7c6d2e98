using System.Net;
using AuthRefresh.Testing;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthServer.Tests;

/// <summary>
/// Rotation, reuse detection and lifetimes of refresh tokens. Each test has its own server and
/// moves its clock instead of sleeping.
/// </summary>
public sealed class RefreshTokenTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private AuthServerFactory? _factory;

    private TokenClient Start(params (string Key, string? Value)[] settings)
    {
        _factory = new AuthServerFactory(settings.ToDictionary(s => s.Key, s => s.Value), time: _time);
        return _factory.CreateTokenClient();
    }

    public void Dispose() => _factory?.Dispose();

    [Fact]
    public async Task Refresh_rotates_the_refresh_token()
    {
        var client = Start();
        var login = await client.LoginAsync();

        var first = await client.RefreshAsync(login.RefreshToken!);
        var second = await client.RefreshAsync(first.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotEqual(login.RefreshToken, first.RefreshToken);
        Assert.NotEqual(login.AccessToken, first.AccessToken);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(Jwt.Read(login.AccessToken!).Subject, Jwt.Read(second.AccessToken!).Subject);
        Assert.Contains("notes", Jwt.Read(second.AccessToken!).GetClaim("scope").Value.Split(' '));
    }

    [Fact]
    public async Task A_redeemed_token_presented_within_the_leeway_is_still_accepted()
    {
        var client = Start(("Tokens:RefreshTokenReuseLeeway", "00:00:10"));
        var login = await client.LoginAsync();
        var rotated = await client.RefreshAsync(login.RefreshToken!);

        _time.Advance(TimeSpan.FromSeconds(9));
        var retry = await client.RefreshAsync(login.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(rotated.RefreshToken!)).Status);
    }

    [Fact]
    public async Task Refresh_with_a_redeemed_token_after_the_leeway_revokes_the_whole_family()
    {
        var client = Start(("Tokens:RefreshTokenReuseLeeway", "00:00:10"));
        var login = await client.LoginAsync();
        var otherLogin = await client.LoginAsync();
        var rotated = await client.RefreshAsync(login.RefreshToken!);

        _time.Advance(TimeSpan.FromSeconds(11));
        var replay = await client.RefreshAsync(login.RefreshToken!);

        Assert.Equal("invalid_grant", replay.Error);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(rotated.RefreshToken!)).Error);
        Assert.False((await client.IntrospectAsync(rotated.AccessToken!)).Json.GetProperty("active").GetBoolean());
        Assert.False((await client.IntrospectAsync(login.AccessToken!)).Json.GetProperty("active").GetBoolean());

        // Another login of the same user is another family: it is not touched.
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(otherLogin.RefreshToken!)).Status);
    }

    [Fact]
    public async Task With_a_zero_leeway_the_first_reuse_revokes_the_family()
    {
        var client = Start(("Tokens:RefreshTokenReuseLeeway", "00:00:00"));
        var login = await client.LoginAsync();
        var rotated = await client.RefreshAsync(login.RefreshToken!);

        var replay = await client.RefreshAsync(login.RefreshToken!);

        Assert.Equal("invalid_grant", replay.Error);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(rotated.RefreshToken!)).Error);
    }

    [Fact]
    public async Task Concurrent_refreshes_of_one_token_all_answer_and_the_server_keeps_writing()
    {
        // Whichever requests lose the race for the redemption, none may hang or break the server:
        // a lost concurrency check once left SQLite's write gate held, and every later write waited.
        var client = Start(("Tokens:RefreshTokenReuseLeeway", "00:00:00"));
        var login = await client.LoginAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.RefreshAsync(login.RefreshToken!)))
            .WaitAsync(TimeSpan.FromSeconds(30));
        var next = await client.LoginAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var refreshed = await client.RefreshAsync(next.RefreshToken!).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(answers, answer => Assert.True(answer.Status == HttpStatusCode.OK || answer.Error == "invalid_grant", answer.Raw));
        Assert.Contains(answers, answer => answer.Status == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
    }

    [Fact]
    public async Task A_refresh_token_left_unused_for_the_idle_lifetime_expires()
    {
        var client = Start(("Tokens:RefreshTokenIdleLifetime", "1.00:00:00"));
        var login = await client.LoginAsync();

        _time.Advance(TimeSpan.FromHours(20));
        var used = await client.RefreshAsync(login.RefreshToken!);
        _time.Advance(TimeSpan.FromHours(20));
        var stillAlive = await client.RefreshAsync(used.RefreshToken!);
        _time.Advance(TimeSpan.FromHours(25));
        var idle = await client.RefreshAsync(stillAlive.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, used.Status);
        Assert.Equal(HttpStatusCode.OK, stillAlive.Status); // 40 hours after login: the idle period slides
        Assert.Equal("invalid_grant", idle.Error);
    }

    [Fact]
    public async Task A_login_cannot_be_refreshed_past_the_absolute_lifetime()
    {
        var client = Start(("Tokens:RefreshTokenIdleLifetime", "1.00:00:00"), ("Tokens:RefreshTokenAbsoluteLifetime", "2.00:00:00"));
        var login = await client.LoginAsync();

        _time.Advance(TimeSpan.FromHours(20));
        var first = await client.RefreshAsync(login.RefreshToken!);
        _time.Advance(TimeSpan.FromHours(20));
        var second = await client.RefreshAsync(first.RefreshToken!);
        _time.Advance(TimeSpan.FromHours(9)); // 49 hours: within the idle period, past the cap
        var capped = await client.RefreshAsync(second.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal("invalid_grant", capped.Error);
    }

    [Fact]
    public async Task A_changed_security_stamp_ends_the_refreshes_of_earlier_logins()
    {
        // The stamp is changed behind Identity's back (no revocation event), so that the check the
        // refresh grant makes on its own is what refuses the token.
        var client = Start();
        var user = await TestUsers.CreateAsync(_factory!);
        var login = await client.LoginAsync(user, TestUsers.Password);
        await ChangeBehindIdentitysBackAsync(user, stored => stored.SecurityStamp = Guid.NewGuid().ToString("N"));

        var refresh = await client.RefreshAsync(login.RefreshToken!);

        Assert.Equal("invalid_grant", refresh.Error);
        Assert.Equal("The login is no longer valid; sign in again.", refresh.ErrorDescription);
    }

    [Fact]
    public async Task A_user_locked_behind_Identitys_back_cannot_refresh()
    {
        var client = Start();
        var user = await TestUsers.CreateAsync(_factory!);
        var login = await client.LoginAsync(user, TestUsers.Password);
        await ChangeBehindIdentitysBackAsync(user, stored => stored.LockoutEnd = DateTimeOffset.UtcNow.AddHours(1));

        var refresh = await client.RefreshAsync(login.RefreshToken!);

        Assert.Equal("invalid_grant", refresh.Error);
        Assert.Equal("The account is locked out. Try again later.", refresh.ErrorDescription);
    }

    [Fact]
    public async Task A_refresh_token_only_works_for_the_client_it_was_issued_to()
    {
        var client = Start();
        var login = await client.LoginAsync();

        var stolen = await client.RefreshAsync(login.RefreshToken!, TokenClient.SampleClient, TokenClient.SampleSecret);

        Assert.Equal("invalid_grant", stolen.Error);
    }

    /// <summary>Changes the stored user directly in the database: no Identity event, no revocation.</summary>
    private async Task ChangeBehindIdentitysBackAsync(string userName, Action<ApplicationUser> change)
    {
        using var scope = _factory!.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        change(await db.Users.SingleAsync(u => u.UserName == userName));
        await db.SaveChangesAsync();
    }
}
