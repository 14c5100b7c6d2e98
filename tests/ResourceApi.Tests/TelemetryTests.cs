using System.Net;
using AuthRefresh.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ResourceApi.Tests;

/// <summary>ResourceApi's <c>authrefresh.api.token.rejected</c>, by reason, as an OTLP collector receives it.</summary>
[Collection(TimingCollection.Name)]
public sealed class TelemetryTests
{
    private const string Rejected = "authrefresh.api.token.rejected";

    [Fact]
    public async Task Each_refused_token_is_counted_by_its_reason_and_no_token_is_exported()
    {
        using var authServer = new AuthServerFactory(ExtraScopes.ClientSettings);
        await ExtraScopes.RegisterAsync(authServer);
        var tokens = authServer.CreateTokenClient();
        await using var telemetry = await TelemetryCapture.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = new ResourceApiFactory(authServer.Address, telemetry.Settings("ResourceApi"), time, telemetry.Services);
        var api = new ApiClient(factory.CreateClient());
        var login = await tokens.LoginAsync();
        var audit = await tokens.PasswordAsync("alice", TokenClient.DemoPassword, scope: "audit");
        var parts = login.AccessToken!.Split('.');
        var badSignature = $"{parts[0]}.{parts[1]}.{parts[2][..^4]}AAAA";

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/notes", token: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/notes", "garbage")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/notes", badSignature)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/notes", audit.AccessToken)).Status);
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/notes", login.AccessToken)).Status);
        telemetry.Flush(factory.Services);

        Assert.Equal(1, telemetry.Sum(Rejected, ("reason", "invalid")));
        Assert.Equal(1, telemetry.Sum(Rejected, ("reason", "invalid_signature")));
        Assert.Equal(1, telemetry.Sum(Rejected, ("reason", "insufficient_scope")));
        Assert.Equal(1, telemetry.Sum(Rejected, ("reason", "expired")));
        Assert.Equal(4, telemetry.Sum(Rejected));

        foreach (var token in new[] { login.AccessToken, audit.AccessToken!, badSignature })
        {
            Assert.DoesNotContain(telemetry.ExportedTexts(), text => text.Contains(token, StringComparison.Ordinal));
            Assert.False(telemetry.Collector.AnyPayloadContains(token));
        }
    }
}
