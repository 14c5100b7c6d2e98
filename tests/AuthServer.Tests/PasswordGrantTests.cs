using System.Net;
using System.Security.Cryptography;
using System.Text;
using AuthRefresh.Testing;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Tests;

public sealed class PasswordGrantTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly TokenClient _client = server.Factory.CreateTokenClient();

    [Fact]
    public async Task Password_grant_issues_a_signed_at_jwt_access_token_and_a_refresh_token()
    {
        var response = await _client.LoginAsync();

        Assert.Equal("Bearer", response.Get("token_type"));
        Assert.InRange(response.Json.GetProperty("expires_in").GetInt32(), 295, 300);
        Assert.False(string.IsNullOrEmpty(response.RefreshToken));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        var jwt = Jwt.Read(response.AccessToken!);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal(3, response.AccessToken!.Split('.').Length); // a JWS, not an encrypted JWE (5 parts)
        Assert.Equal(["resource-api"], jwt.Audiences);
        Assert.Equal(TokenClient.PublicClient, jwt.GetClaim("client_id").Value);
        Assert.Equal("alice", jwt.GetClaim("preferred_username").Value);
        Assert.Equal("Alice Liddell", jwt.GetClaim("name").Value);
        Assert.Equal("alice@example.com", jwt.GetClaim("email").Value);
        Assert.Equal("User", jwt.GetClaim("role").Value);
        Assert.Contains("notes", jwt.GetClaim("scope").Value.Split(' '));
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.False(string.IsNullOrEmpty(jwt.Subject));
        Assert.Equal(TimeSpan.FromMinutes(5), jwt.ValidTo - jwt.IssuedAt);
        Assert.False(jwt.TryGetClaim("AspNet.Identity.SecurityStamp", out _));

        var validation = await Jwt.ValidateAsync(_client.Http, response.AccessToken!, "resource-api");
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public async Task The_identity_token_is_issued_and_signed_but_only_the_access_and_refresh_tokens_are_stored()
    {
        var response = await _client.LoginAsync();

        var idToken = Jwt.Read(response.Get("id_token")!);
        var accessToken = Jwt.Read(response.AccessToken!);
        Assert.Equal("ES256", idToken.Alg);
        Assert.Equal(accessToken.Subject, idToken.Subject);

        using var scope = server.Factory.Services.CreateScope();
        var types = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Subject == accessToken.Subject && t.CreationDate >= accessToken.IssuedAt.AddSeconds(-1))
            .Select(t => t.Type)
            .ToListAsync();
        Assert.Contains("urn:ietf:params:oauth:token-type:access_token", types);
        Assert.Contains("urn:ietf:params:oauth:token-type:refresh_token", types);
        Assert.DoesNotContain("urn:ietf:params:oauth:token-type:id_token", types);
        Assert.DoesNotContain("id_token", types);
    }

    [Fact]
    public async Task The_identity_token_carries_the_hash_of_the_access_token_issued_with_it_on_login_and_on_refresh()
    {
        var login = await _client.LoginAsync();
        var refresh = await _client.RefreshAsync(login.RefreshToken!);

        // Note: OpenID Connect Core 1.0 §3.1.3.6: the left half of the SHA-256 (ES256's hash) of
        // the ASCII access token, base64url.
        foreach (var response in new[] { login, refresh })
        {
            var digest = SHA256.HashData(Encoding.ASCII.GetBytes(response.AccessToken!));
            var expected = Base64UrlEncoder.Encode(digest, 0, 16);
            Assert.Equal(expected, Jwt.Read(response.Get("id_token")!).GetClaim("at_hash").Value);
        }
    }

    [Fact]
    public async Task The_username_can_be_the_email_address()
    {
        var response = await _client.PasswordAsync("alice@example.com", "Pass123$");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("alice", Jwt.Read(response.AccessToken!).GetClaim("preferred_username").Value);
    }

    [Fact]
    public async Task No_refresh_token_is_issued_without_offline_access()
    {
        var response = await _client.PasswordAsync("alice", "Pass123$", scope: "openid profile notes");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Null(response.RefreshToken);
    }

    [Fact]
    public async Task Claims_follow_the_granted_scopes()
    {
        var response = await _client.PasswordAsync("alice", "Pass123$", scope: "notes");

        var jwt = Jwt.Read(response.AccessToken!);
        Assert.False(jwt.TryGetClaim("name", out _));
        Assert.False(jwt.TryGetClaim("email", out _));
        Assert.False(jwt.TryGetClaim("role", out _));
        Assert.Null(response.Get("id_token"));
    }

    [Fact]
    public async Task An_unknown_user_and_a_wrong_password_get_the_same_invalid_grant()
    {
        var unknown = await _client.PasswordAsync("nobody", "Pass123$");
        var wrong = await _client.PasswordAsync("alice", "wrong-password");

        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("invalid_grant", unknown.Error);
        Assert.Equal(unknown.Status, wrong.Status);
        Assert.Equal(unknown.Error, wrong.Error);
        Assert.Equal(unknown.ErrorDescription, wrong.ErrorDescription);
        Assert.Equal("The username or password is invalid.", wrong.ErrorDescription);
    }

    [Fact]
    public async Task A_confidential_client_must_authenticate()
    {
        var noSecret = await _client.PasswordAsync("alice", "Pass123$", clientId: TokenClient.SampleClient);
        var badSecret = await _client.PasswordAsync("alice", "Pass123$", clientId: TokenClient.SampleClient, secret: "nope");
        var good = await _client.PasswordAsync("alice", "Pass123$", clientId: TokenClient.SampleClient, secret: TokenClient.SampleSecret);

        Assert.Equal("invalid_client", noSecret.Error);
        Assert.Equal(HttpStatusCode.Unauthorized, badSecret.Status);
        Assert.Equal("invalid_client", badSecret.Error);
        Assert.Equal(HttpStatusCode.OK, good.Status);
    }

    [Fact]
    public async Task An_unknown_client_is_refused()
    {
        var response = await _client.PasswordAsync("alice", "Pass123$", clientId: "who-is-this");

        Assert.Equal("invalid_client", response.Error);
    }

    [Theory]
    [InlineData("grant_type=magic&client_id=public-client", "unsupported_grant_type")]
    [InlineData("grant_type=password&client_id=public-client&password=x", "invalid_request")]
    [InlineData("grant_type=password&client_id=public-client&username=alice", "invalid_request")]
    [InlineData("grant_type=password&client_id=public-client&username=alice&password=Pass123$&scope=admin", "invalid_scope")]
    [InlineData("grant_type=refresh_token&client_id=public-client", "invalid_request")]
    [InlineData("grant_type=refresh_token&client_id=public-client&refresh_token=garbage", "invalid_grant")]
    [InlineData("grant_type=client_credentials&client_id=public-client", "invalid_request")]
    [InlineData("grant_type=client_credentials&client_id=resource-api&client_secret=dev-resource-api-secret", "unauthorized_client")]
    [InlineData("username=alice&password=Pass123$", "invalid_request")]
    [InlineData("grant_type=password&client_id=public-client&username=%00&password=x", "invalid_request")]
    public async Task Malformed_token_requests_get_an_rfc6749_error(string form, string error)
    {
        var response = await _client.PostAsync("/connect/token", new StringContent(form, null, "application/x-www-form-urlencoded"));

        Assert.Contains(response.Status, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        Assert.Equal(error, response.Error);
        Assert.False(string.IsNullOrEmpty(response.ErrorDescription));
    }

    [Fact]
    public async Task Client_credentials_issue_an_access_token_for_the_client_and_no_refresh_token()
    {
        var response = await _client.ClientCredentialsAsync(TokenClient.SampleClient, TokenClient.SampleSecret, "notes");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Null(response.RefreshToken);
        var jwt = Jwt.Read(response.AccessToken!);
        Assert.Equal(TokenClient.SampleClient, jwt.Subject);
        Assert.Equal(["resource-api"], jwt.Audiences);
    }

    [Fact]
    public async Task Userinfo_returns_the_claims_the_scopes_allow()
    {
        var full = await _client.LoginAsync();
        var narrow = await _client.PasswordAsync("alice", "Pass123$", scope: "openid");

        var all = await _client.UserInfoAsync(full.AccessToken);
        var few = await _client.UserInfoAsync(narrow.AccessToken);
        var none = await _client.UserInfoAsync(null);

        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.Equal("alice", all.Get("preferred_username"));
        Assert.Equal("alice@example.com", all.Get("email"));
        Assert.Equal("User", all.Json.GetProperty("role")[0].GetString());
        Assert.Equal(Jwt.Read(full.AccessToken!).Subject, all.Get("sub"));
        Assert.Equal(all.Get("sub"), few.Get("sub"));
        Assert.Null(few.Get("email"));
        Assert.Null(few.Get("preferred_username"));
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
