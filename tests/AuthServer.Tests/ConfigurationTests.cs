using System.Net;
using AuthRefresh.Testing;

namespace AuthServer.Tests;

/// <summary>A bad setting stops the server at start, with a message that names the key.</summary>
public sealed class ConfigurationTests
{
    private static readonly Dictionary<string, string?> ProductionSecrets = new()
    {
        ["Clients:sample-client:Secret"] = new string('s', 40),
        ["Clients:resource-api:Secret"] = new string('r', 40),
    };

    [Theory]
    [InlineData("Tokens:AccessTokenLifetime", "-00:05:00")]
    [InlineData("Tokens:AccessTokenLifetime", "banana")]
    [InlineData("Tokens:RefreshTokenReuseLeeway", "-00:00:01")]
    [InlineData("Tokens:RefreshTokenAbsoluteLifetime", "1.00:00:00")]
    [InlineData("Lockout:MaxFailedAttempts", "0")]
    [InlineData("RateLimiting:PermitLimit", "0")]
    [InlineData("Clients:public-client:Type", "secretive")]
    public void A_bad_setting_stops_start_up_naming_the_key(string key, string value)
    {
        var message = StartAndCatch(new Dictionary<string, string?> { [key] = value });

        Assert.Contains(key, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_a_missing_client_secret_stops_start_up()
    {
        var message = StartAndCatch(new Dictionary<string, string?>(), environment: "Production");

        Assert.Contains("Clients:sample-client:Secret is missing", message, StringComparison.Ordinal);
        Assert.Contains("Clients:resource-api:Secret is missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_the_Development_secret_is_refused()
    {
        var settings = new Dictionary<string, string?>(ProductionSecrets) { ["Clients:sample-client:Secret"] = "dev-sample-client-secret" };

        var message = StartAndCatch(settings, environment: "Production");

        Assert.Contains("Clients:sample-client:Secret is a Development secret", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_Development_plain_http_is_refused()
    {
        using var factory = new AuthServerFactory(ProductionSecrets, environment: "Production");
        var client = factory.CreateTokenClient();

        var response = await client.PasswordAsync("alice", "Pass123$");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_request", response.Error);
        Assert.Contains("HTTPS", response.ErrorDescription, StringComparison.OrdinalIgnoreCase);
    }

    private static string StartAndCatch(Dictionary<string, string?> settings, string environment = "Development")
    {
        using var factory = new AuthServerFactory(settings, environment: environment);
        var exception = Record.Exception(() => factory.CreateClient());
        Assert.NotNull(exception);
        return exception.ToString();
    }
}
