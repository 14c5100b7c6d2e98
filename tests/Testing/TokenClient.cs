using System.Net;
using System.Net.Http.Headers;
using Xunit;

namespace AuthRefresh.Testing;

/// <summary>An OAuth client speaking plain HTTP to AuthServer, as curl or any library would.</summary>
public sealed class TokenClient(HttpClient http)
{
    public const string SampleClient = "sample-client";
    public const string SampleSecret = "dev-sample-client-secret";
    public const string PublicClient = "public-client";
    public const string ResourceApi = "resource-api";
    public const string ResourceApiSecret = "dev-resource-api-secret";
    /// <summary>The demo users' password (Development's demo data).</summary>
    public const string DemoPassword = "Pass123$";
    public const string AllScopes = "openid profile email roles offline_access notes";

    public HttpClient Http { get; } = http;

    public Task<OAuthResponse> PasswordAsync(
        string username, string password, string scope = AllScopes, string clientId = PublicClient, string? secret = null)
        => PostAsync("/connect/token", Form(
            ("grant_type", "password"), ("username", username), ("password", password), ("scope", scope),
            ("client_id", clientId), ("client_secret", secret)));

    public Task<OAuthResponse> RefreshAsync(string refreshToken, string clientId = PublicClient, string? secret = null)
        => PostAsync("/connect/token", Form(
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientId), ("client_secret", secret)));

    public Task<OAuthResponse> ClientCredentialsAsync(string clientId, string? secret, string scope)
        => PostAsync("/connect/token", Form(
            ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret), ("scope", scope)));

    public Task<OAuthResponse> RevokeAsync(string token, string clientId = PublicClient, string? secret = null, string? hint = null)
        => PostAsync("/connect/revoke", Form(
            ("token", token), ("token_type_hint", hint), ("client_id", clientId), ("client_secret", secret)));

    public Task<OAuthResponse> IntrospectAsync(string token, string clientId = ResourceApi, string? secret = ResourceApiSecret)
        => PostAsync("/connect/introspect", Form(("token", token), ("client_id", clientId), ("client_secret", secret)));

    public async Task<OAuthResponse> UserInfoAsync(string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await OAuthResponse.ReadAsync(await Http.SendAsync(request));
    }

    /// <summary>Signs in with the password grant and expects success.</summary>
    public async Task<OAuthResponse> LoginAsync(string username = "alice", string password = DemoPassword, string scope = AllScopes)
    {
        var response = await PasswordAsync(username, password, scope);
        Assert.True(response.Status == HttpStatusCode.OK, $"login failed: {response.Raw}");
        return response;
    }

    public async Task<OAuthResponse> PostAsync(string path, HttpContent content)
        => await OAuthResponse.ReadAsync(await Http.PostAsync(path, content));

    private static FormUrlEncodedContent Form(params (string Key, string? Value)[] fields)
        => new(fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)));
}
