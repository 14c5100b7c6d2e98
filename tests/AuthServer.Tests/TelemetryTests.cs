using System.Diagnostics;
using System.Net;
using AuthRefresh.Shared;
using AuthRefresh.Testing;
using AuthServer.Telemetry;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;

namespace AuthServer.Tests;

/// <summary>
/// AuthServer's meter, spans and logs as an OTLP collector receives them: each security event
/// moves its instrument with its attributes, and nothing exported holds a password or a token.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class TelemetryTests
{
    private const string Issued = "authrefresh.token.issued";
    private const string Rejected = "authrefresh.token_request.rejected";
    private const string Reuse = "authrefresh.refresh_token.reuse";
    private const string LoginFailed = "authrefresh.login.failed";
    private const string Duration = "authrefresh.token_request.duration";

    [Fact]
    public async Task Logins_refreshes_reuse_and_failures_move_their_instruments_and_export_no_secret()
    {
        await using var telemetry = await TelemetryCapture.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = new AuthServerFactory(
            telemetry.Settings("AuthServer", new Dictionary<string, string?> { ["Tokens:RefreshTokenReuseLeeway"] = "00:00:10" }),
            time: time, services: telemetry.Services);
        var client = factory.CreateTokenClient();
        var locked = await TestUsers.CreateAsync(factory);
        await TestUsers.ChangeAsync(factory, locked, (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddHours(1)));

        var login = await client.LoginAsync();
        var rotated = await client.RefreshAsync(login.RefreshToken!);
        var retried = await client.RefreshAsync(login.RefreshToken!);
        time.Advance(TimeSpan.FromSeconds(11));
        var replayed = await client.RefreshAsync(login.RefreshToken!);
        var wrongPassword = await client.PasswordAsync("alice", "not-the-password");
        var lockedOut = await client.PasswordAsync(locked, TestUsers.Password);
        var service = await client.ClientCredentialsAsync(TokenClient.SampleClient, TokenClient.SampleSecret, "notes");
        telemetry.Flush(factory.Services);

        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal("invalid_grant", replayed.Error);
        Assert.Equal("invalid_grant", wrongPassword.Error);
        Assert.Equal("invalid_grant", lockedOut.Error);
        Assert.Equal(HttpStatusCode.OK, service.Status);

        var publicClient = ("client_id", TokenClient.PublicClient);
        Assert.Equal(1, telemetry.Sum(Issued, ("grant_type", "password"), publicClient, ("token_type", "access")));
        Assert.Equal(1, telemetry.Sum(Issued, ("grant_type", "password"), publicClient, ("token_type", "refresh")));
        Assert.Equal(1, telemetry.Sum(Issued, ("grant_type", "password"), publicClient, ("token_type", "id")));
        Assert.Equal(2, telemetry.Sum(Issued, ("grant_type", "refresh_token"), publicClient, ("token_type", "refresh")));
        Assert.Equal(1, telemetry.Sum(Issued, ("grant_type", "client_credentials"), ("client_id", TokenClient.SampleClient), ("token_type", "access")));
        Assert.Equal(0, telemetry.Sum(Issued, ("grant_type", "client_credentials"), ("token_type", "refresh")));

        Assert.Equal(1, telemetry.Sum(Rejected, ("grant_type", "refresh_token"), publicClient, ("error", "invalid_grant")));
        Assert.Equal(2, telemetry.Sum(Rejected, ("grant_type", "password"), publicClient, ("error", "invalid_grant")));

        Assert.Equal(1, telemetry.Sum(Reuse, publicClient, ("outcome", "within_leeway")));
        Assert.Equal(1, telemetry.Sum(Reuse, publicClient, ("outcome", "login_revoked")));

        Assert.Equal(1, telemetry.Sum(LoginFailed, ("reason", "invalid_credentials")));
        Assert.Equal(1, telemetry.Sum(LoginFailed, ("reason", "locked_out")));
        Assert.All(telemetry.Series(LoginFailed), series => Assert.StartsWith("reason=", series, StringComparison.Ordinal));

        Assert.Equal(2, telemetry.Count(Duration, ("grant_type", "refresh_token"), ("outcome", "success")));
        Assert.Equal(1, telemetry.Count(Duration, ("grant_type", "refresh_token"), ("outcome", "rejected")));
        Assert.Equal(2, telemetry.Count(Duration, ("grant_type", "password"), ("outcome", "rejected")));

        // The token endpoint's span says what was asked and how it ended.
        var replaySpan = telemetry.Spans.Single(span =>
            span.Kind == ActivityKind.Server && (string?)span.GetTagItem("authrefresh.grant_type") == "refresh_token" &&
            (string?)span.GetTagItem("authrefresh.outcome") == "rejected");
        Assert.Equal(TokenClient.PublicClient, replaySpan.GetTagItem("authrefresh.client_id"));
        Assert.Equal("invalid_grant", replaySpan.GetTagItem("authrefresh.error"));
        var query = telemetry.Spans.First(span => span.Source.Name == DatabaseCommandSpans.SourceName && span.TraceId == replaySpan.TraceId);
        Assert.Equal(ActivityKind.Client, query.Kind);
        Assert.Equal("sqlite", query.GetTagItem("db.system.name"));
        Assert.Contains(query.DisplayName, new[] { "SELECT", "INSERT", "UPDATE", "DELETE" });

        // A refresh's own write, sent by the token ledger beside EF Core, has its span too: the
        // conditional redemption, as SQL with parameters.
        var refreshSpans = telemetry.Spans.Where(span =>
            span.Kind == ActivityKind.Server && (string?)span.GetTagItem("authrefresh.grant_type") == "refresh_token" &&
            (string?)span.GetTagItem("authrefresh.outcome") == "success").ToList();
        Assert.Equal(2, refreshSpans.Count);
        Assert.All(refreshSpans, refresh => Assert.Contains(telemetry.Spans, span =>
            span.Source.Name == DatabaseCommandSpans.SourceName && span.TraceId == refresh.TraceId && span.DisplayName == "UPDATE" &&
            ((string?)span.GetTagItem("db.query.text"))?.Contains("RedemptionDate", StringComparison.Ordinal) == true));

        // The replay's warning is exported with the trace of its request.
        var replayLog = telemetry.Logs.Single(record => record.EventId.Id == 7001);
        Assert.Equal(replaySpan.TraceId, replayLog.TraceId);

        // Neither the password nor any token handed out is in a span, a log record or a metric,
        // in memory or in what the collector received.
        var secrets = new[] { TokenClient.DemoPassword, TestUsers.Password, "not-the-password" }
            .Concat(new[] { login, rotated, retried, service }.SelectMany(r => new[] { r.AccessToken, r.RefreshToken, r.Get("id_token") }).OfType<string>())
            .ToList();
        Assert.True(secrets.Count >= 9);
        var texts = telemetry.ExportedTexts().ToList();
        Assert.NotEmpty(texts);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(texts, text => text.Contains(secret, StringComparison.Ordinal));
            Assert.False(telemetry.Collector.AnyPayloadContains(secret), "the collector received a secret");
        }

        Assert.True(telemetry.Collector.Exports("traces") > 0);
        Assert.True(telemetry.Collector.Exports("metrics") > 0);
        Assert.True(telemetry.Collector.Exports("logs") > 0);
    }

    [Fact]
    public async Task A_made_up_grant_type_or_client_id_is_not_an_attribute_value()
    {
        await using var telemetry = await TelemetryCapture.StartAsync();
        using var factory = new AuthServerFactory(telemetry.Settings("AuthServer"), services: telemetry.Services);
        var client = factory.CreateTokenClient();

        var unknownGrant = await client.PostAsync("/connect/token", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["grant_type"] = "urn:made-up:" + Guid.NewGuid(), ["client_id"] = TokenClient.PublicClient }));
        var unknownClient = await client.PasswordAsync("alice", TokenClient.DemoPassword, clientId: "client-" + Guid.NewGuid());
        telemetry.Flush(factory.Services);

        Assert.Equal("unsupported_grant_type", unknownGrant.Error);
        Assert.Equal("invalid_client", unknownClient.Error);
        Assert.Equal(1, telemetry.Sum(Rejected, ("grant_type", "other"), ("error", "unsupported_grant_type")));
        Assert.Equal(1, telemetry.Sum(Rejected, ("grant_type", "password"), ("client_id", AuthServerMetrics.UnknownClient), ("error", "invalid_client")));
    }

    [Fact]
    public async Task A_failed_sign_in_on_the_login_page_is_counted_without_the_username()
    {
        await using var telemetry = await TelemetryCapture.StartAsync();
        using var factory = new AuthServerFactory(telemetry.Settings("AuthServer"), services: telemetry.Services);
        var locked = await TestUsers.CreateAsync(factory);
        await TestUsers.ChangeAsync(factory, locked, (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddHours(1)));
        var page = new HtmlSession(factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = factory.Address }));

        await page.SignInAsync("alice", "wrong-password");
        await page.SignInAsync(locked, TestUsers.Password);
        var (_, signedIn, _) = await page.SignInAsync("alice", TokenClient.DemoPassword);
        telemetry.Flush(factory.Services);

        Assert.DoesNotContain("login-error", signedIn, StringComparison.Ordinal);
        Assert.Equal(1, telemetry.Sum(LoginFailed, ("reason", "invalid_credentials")));
        Assert.Equal(1, telemetry.Sum(LoginFailed, ("reason", "locked_out")));
        Assert.Equal(2, telemetry.Sum(LoginFailed));
        Assert.DoesNotContain(telemetry.ExportedTexts(), text => text.Contains(locked, StringComparison.Ordinal) || text.Contains("wrong-password", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_an_OTLP_endpoint_no_OpenTelemetry_is_registered()
    {
        using var factory = new AuthServerFactory();

        Assert.Null(factory.Services.GetService<TracerProvider>());
        Assert.NotNull(factory.Services.GetService<AuthServerMetrics>());
    }
}
