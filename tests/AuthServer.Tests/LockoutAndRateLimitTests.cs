using System.Net;
using AuthRefresh.Testing;

namespace AuthServer.Tests;

public sealed class LockoutAndRateLimitTests
{
    [Fact]
    public async Task Five_failed_passwords_lock_the_account_and_say_so()
    {
        using var factory = new AuthServerFactory();
        var client = factory.CreateTokenClient();
        var user = await TestUsers.CreateAsync(factory);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("The username or password is invalid.", (await client.PasswordAsync(user, "wrong")).ErrorDescription);
        }

        var fifth = await client.PasswordAsync(user, "wrong");
        var rightPasswordNow = await client.PasswordAsync(user, TestUsers.Password);

        Assert.Equal("invalid_grant", fifth.Error);
        Assert.Equal("The account is locked out. Try again later.", fifth.ErrorDescription);
        Assert.Equal("invalid_grant", rightPasswordNow.Error);
        Assert.Equal("The account is locked out. Try again later.", rightPasswordNow.ErrorDescription);
    }

    [Fact]
    public async Task The_lockout_threshold_is_configurable()
    {
        using var factory = new AuthServerFactory(new Dictionary<string, string?> { ["Lockout:MaxFailedAttempts"] = "2" });
        var client = factory.CreateTokenClient();
        var user = await TestUsers.CreateAsync(factory);

        await client.PasswordAsync(user, "wrong");
        var second = await client.PasswordAsync(user, "wrong");

        Assert.Equal("The account is locked out. Try again later.", second.ErrorDescription);
    }

    [Fact]
    public async Task The_token_endpoint_answers_429_with_retry_after_past_the_limit()
    {
        using var factory = new AuthServerFactory(new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:PermitLimit"] = "3",
            ["RateLimiting:Window"] = "00:01:00",
        });
        var client = factory.CreateTokenClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.PasswordAsync("alice", "wrong")).Status);
        }

        var limited = await client.PasswordAsync("alice", "Pass123$");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.InRange(int.Parse(limited.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("temporarily_unavailable", limited.Error);

        // Only the token endpoint is limited.
        Assert.Equal(HttpStatusCode.OK, (await client.IntrospectAsync("x")).Status);
    }
}
