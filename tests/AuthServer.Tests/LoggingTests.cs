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
}
