using AuthRefresh.Testing;
using AuthServer.Data;
using AuthServer.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace AuthServer.Tests;

public sealed class PruningTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly AuthServerFactory _factory;

    public PruningTests() => _factory = new AuthServerFactory(
        new Dictionary<string, string?>
        {
            ["Tokens:RefreshTokenIdleLifetime"] = "30.00:00:00",
            ["Tokens:RefreshTokenReuseLeeway"] = "00:00:00",
            ["Pruning:MinimumAge"] = "14.00:00:00",
        },
        time: _time);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Pruning_removes_dead_tokens_older_than_the_minimum_age_and_keeps_the_rest()
    {
        var client = _factory.CreateTokenClient();
        // No openid scope: identity tokens would be stored too, and live on by the real clock.
        const string scopes = "offline_access notes";
        var revoked = await client.LoginAsync(scope: scopes);
        await client.RevokeAsync(revoked.RefreshToken!);
        await client.RevokeAsync(revoked.AccessToken!);
        var live = await client.LoginAsync(scope: scopes);
        var rotated = await client.RefreshAsync(live.RefreshToken!); // live's first refresh token is now redeemed

        var untouched = await PruneAsync(); // nothing is old enough yet
        _time.Advance(TimeSpan.FromDays(15));
        var pruned = await PruneAsync();

        Assert.Equal((0, 0), untouched);
        Assert.True(pruned.Tokens > 0);
        Assert.Equal(1, pruned.Authorizations); // the revoked login's

        // Left: the live login's tokens that are still valid (the rotated refresh token and its
        // two access tokens: the store compares expiry dates with the real clock), and its
        // authorization. Gone: the revoked login and the redeemed refresh token.
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var tokens = await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreToken>().ToListAsync();
        Assert.Equal(3, tokens.Count);
        Assert.All(tokens, token => Assert.Equal("valid", token.Status));
        Assert.Single(tokens, token => token.Type == "urn:ietf:params:oauth:token-type:refresh_token");
        Assert.Equal(1, await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreAuthorization>().CountAsync());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.RefreshAsync(rotated.RefreshToken!)).Status);
    }

    [Fact]
    public async Task The_prune_job_is_scheduled_so_that_two_runs_never_overlap()
    {
        var registrations = await _factory.Services.GetRequiredService<ISchedulerRegistry>().QuerySchedulers(CancellationToken.None);
        var scheduler = _factory.Services.GetRequiredKeyedService<IScheduler>(Assert.Single(registrations).Name);
        var job = await scheduler.GetJobDetail(PruneJob.Key);

        Assert.NotNull(job);
        Assert.True(job.ConcurrentExecutionDisallowed);
    }

    private async Task<(long Tokens, long Authorizations)> PruneAsync()
    {
        using var scope = _factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TokenPruner>().PruneAsync(CancellationToken.None);
    }
}
