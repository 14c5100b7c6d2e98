using AuthRefresh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthServer.Tests;

public sealed class LoggingTests
{
    [Fact]
    public async Task Logs_never_contain_passwords_secrets_or_whole_tokens()
    {
        var logs = new LogCapture();
        using var factory = new AuthServerFactory(services: services => services.AddLogging(
            logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)));
        var client = factory.CreateTokenClient();

        var login = await client.PasswordAsync("alice", "Pass123$", clientId: TokenClient.SampleClient, secret: TokenClient.SampleSecret);
        var refreshed = await client.RefreshAsync(login.RefreshToken!, TokenClient.SampleClient, TokenClient.SampleSecret);
        await client.RefreshAsync(login.RefreshToken!, TokenClient.SampleClient, TokenClient.SampleSecret);
        await client.IntrospectAsync(refreshed.AccessToken!);
        await client.UserInfoAsync(refreshed.AccessToken);
        await client.RevokeAsync(refreshed.RefreshToken!, TokenClient.SampleClient, TokenClient.SampleSecret);
        await client.PasswordAsync("alice", "Wr0ng-Passw0rd!");
        await client.PasswordAsync("alice", "Pass123$", clientId: TokenClient.SampleClient, secret: "Wr0ng-Secr3t!");

        Assert.NotEmpty(logs.Entries);
        string[] secrets =
        [
            "Pass123$", "Wr0ng-Passw0rd!", "Wr0ng-Secr3t!", TokenClient.SampleSecret, TokenClient.ResourceApiSecret,
            login.RefreshToken!, refreshed.RefreshToken!, login.AccessToken!, refreshed.AccessToken!,
            login.AccessToken!.Split('.')[2], refreshed.AccessToken!.Split('.')[2],
        ];
        foreach (var entry in logs.Entries)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, entry, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Outside_Development_a_refused_refresh_is_logged_once_and_a_granted_one_not_at_all()
    {
        // The benchmark's environment: Production's settings (appsettings.json), plain HTTP.
        var logs = new LogCapture();
        using var factory = new AuthServerFactory(
            new Dictionary<string, string?>
            {
                ["Clients:sample-client:Secret"] = "a-production-secret-of-at-least-32-chars",
                ["Clients:resource-api:Secret"] = "another-production-secret-of-32-chars",
            },
            environment: "Benchmark",
            services: services => services.AddLogging(logging => logging.AddProvider(logs)));
        var client = factory.CreateTokenClient();
        var login = await client.LoginAsync(await TestUsers.CreateAsync(factory), TestUsers.Password);

        var before = logs.Entries.Count;
        var refreshed = await client.RefreshAsync(login.RefreshToken!);
        var granted = logs.Entries.Skip(before).ToList();
        before = logs.Entries.Count;
        await client.RefreshAsync("not-a-token");
        var refused = logs.Entries.Skip(before).ToList();

        Assert.Equal(System.Net.HttpStatusCode.OK, refreshed.Status);
        Assert.DoesNotContain(granted, entry => entry.Contains("OpenIddict", StringComparison.Ordinal));
        var entry = Assert.Single(refused, entry => entry.Contains("refused", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("invalid_grant", entry, StringComparison.Ordinal);
        Assert.Contains(TokenClient.PublicClient, entry, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-token", entry, StringComparison.Ordinal);
    }
}
