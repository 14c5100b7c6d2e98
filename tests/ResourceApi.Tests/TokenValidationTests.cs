using System.Net;
using AuthRefresh.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ResourceApi.Tests;

/// <summary>RFC 6750 answers of ResourceApi for every kind of good and bad token.</summary>
public sealed class TokenValidationTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly TokenClient _tokens = fixture.AuthServer.CreateTokenClient();
    private readonly ApiClient _api = new(fixture.Api.CreateClient());

    [Fact]
    public async Task A_valid_token_is_accepted()
    {
        var login = await _tokens.LoginAsync();

        var response = await _api.GetAsync("/api/notes", login.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, response.Json.ValueKind);
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_401_with_a_bare_bearer_challenge()
    {
        var response = await _api.GetAsync("/api/notes", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        // RFC 6750 §3.1: a request without credentials gets no error code.
        Assert.Equal("Bearer", response.WwwAuthenticate);
    }

    [Fact]
    public async Task A_tampered_token_is_refused_with_invalid_token()
    {
        var login = await _tokens.LoginAsync();
        var parts = login.AccessToken!.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("\"alice\"", "\"admin\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        var response = await _api.GetAsync("/api/notes", tampered);

        AssertInvalidToken(response);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJhZG1pbiIsImF1ZCI6InJlc291cmNlLWFwaSJ9.")]
    public async Task A_malformed_or_unsigned_token_is_refused_with_invalid_token(string token)
        => AssertInvalidToken(await _api.GetAsync("/api/notes", token));

    // Note: longer than the token cache hashes on the stack.
    [Fact]
    public async Task A_token_of_5000_characters_is_refused_with_invalid_token()
        => AssertInvalidToken(await _api.GetAsync("/api/notes", "eyJ" + new string('A', 4997)));

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var other = await _tokens.PasswordAsync("alice", "Pass123$", scope: "other");

        AssertInvalidToken(await _api.GetAsync("/api/notes", other.AccessToken));
    }

    [Fact]
    public async Task A_token_signed_by_another_issuers_key_is_refused()
    {
        using var stranger = new AuthServerFactory();
        var foreign = await stranger.CreateTokenClient().LoginAsync();

        AssertInvalidToken(await _api.GetAsync("/api/notes", foreign.AccessToken));
    }

    [Fact]
    public async Task A_token_without_the_notes_scope_gets_403_insufficient_scope()
    {
        var audit = await _tokens.PasswordAsync("alice", "Pass123$", scope: "audit");
        Assert.Equal(["resource-api"], Jwt.Read(audit.AccessToken!).Audiences);

        var response = await _api.GetAsync("/api/notes", audit.AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains("error=\"insufficient_scope\"", response.WwwAuthenticate, StringComparison.Ordinal);
        Assert.Contains("scope=\"notes\"", response.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var api = new ResourceApiFactory(fixture.AuthServer.Address, time: time);
        var client = new ApiClient(api.CreateClient());
        var login = await _tokens.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/notes", login.AccessToken)).Status);

        time.Advance(TimeSpan.FromMinutes(6)); // access tokens live 5 minutes
        var response = await client.GetAsync("/api/notes", login.AccessToken);

        AssertInvalidToken(response);
    }

    [Fact]
    public async Task Me_says_who_the_token_is_for()
    {
        var login = await _tokens.LoginAsync();

        var me = await _api.GetAsync("/api/me", login.AccessToken);

        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(Jwt.Read(login.AccessToken!).Subject, me.Json.GetProperty("subject").GetString());
        Assert.Equal("alice", me.Json.GetProperty("username").GetString());
        Assert.Equal("Alice Liddell", me.Json.GetProperty("name").GetString());
        Assert.Contains("notes", me.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("public-client", me.Json.GetProperty("clientId").GetString());
        Assert.True(me.Json.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task The_OpenAPI_document_declares_the_bearer_scheme()
    {
        var response = await _api.GetAsync("/openapi/v1.json", token: null);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var scheme = response.Json.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(response.Json.GetProperty("paths").TryGetProperty("/api/notes", out _));
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/health", token: null)).Status);
    }

    [Fact]
    public async Task The_root_points_to_the_description_and_the_health_of_the_api()
    {
        var index = await _api.GetAsync("/", token: null);

        Assert.Equal(HttpStatusCode.OK, index.Status);
        foreach (var link in new[] { "openApi", "reference", "live", "ready" })
        {
            var path = index.Json.GetProperty(link).GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(path, token: null)).Status);
        }
    }

    private static void AssertInvalidToken(ApiResponse response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.WwwAuthenticate, StringComparison.Ordinal);
    }
}
