using AuthRefresh.Shared;
using AuthRefresh.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AuthServer.Tests;

/// <summary>
/// The security headers on the pages of all three apps (real servers, real HTTP), and outside
/// Development the Secure flag on their cookies.
/// </summary>
public sealed class SecurityHeadersTests : IDisposable
{
    private readonly AuthServerFactory _authServer = new();
    private readonly ResourceApiFactory _api;
    private readonly SampleClientFactory _client;

    public SecurityHeadersTests()
    {
        _api = new ResourceApiFactory(_authServer.Address);
        _client = new SampleClientFactory(_authServer.Address, _api.Address);
    }

    public void Dispose()
    {
        _client.Dispose();
        _api.Dispose();
        _authServer.Dispose();
    }

    [Theory]
    [InlineData("AuthServer", "/")]
    [InlineData("AuthServer", "/Identity/Account/Login")]
    [InlineData("AuthServer", "/Identity/Account/Register")]
    [InlineData("AuthServer", "/admin")]
    [InlineData("AuthServer", "/connect/token")]
    [InlineData("SampleClient", "/login")]
    [InlineData("SampleClient", "/")]
    [InlineData("ResourceApi", "/health")]
    [InlineData("ResourceApi", "/openapi/v1.json")]
    public async Task Every_page_carries_the_security_headers(string app, string path)
    {
        using var http = Client(app);

        using var response = await http.GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, csp);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Outside_Development_every_cookie_is_Secure()
    {
        using var production = new AuthServerFactory(
            new Dictionary<string, string?>
            {
                ["Clients:sample-client:Secret"] = "headers-test-secret-0123456789abcdefghijklmnop",
                ["Clients:resource-api:Secret"] = "headers-test-secret-abcdefghijklmnop0123456789",
            },
            environment: HostingEnvironments.Benchmark);
        using var http = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = production.Address });

        using var response = await http.GetAsync("/Identity/Account/Login");

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie => Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    private HttpClient Client(string app) => app switch
    {
        "AuthServer" => _authServer.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = _authServer.Address, AllowAutoRedirect = false }),
        "SampleClient" => _client.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = _client.Address, AllowAutoRedirect = false }),
        _ => _api.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = _api.Address, AllowAutoRedirect = false }),
    };
}
