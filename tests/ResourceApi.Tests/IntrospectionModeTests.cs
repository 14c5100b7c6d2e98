using System.Net;
using AuthRefresh.Testing;

namespace ResourceApi.Tests;

/// <summary>
/// Introspection mode checks each token at AuthServer, so that a revoked login stops working
/// before its access token expires — which local JWT validation cannot see.
/// </summary>
public sealed class IntrospectionModeTests : IDisposable
{
    // No reuse leeway: a replayed refresh token revokes its family at once.
    private readonly AuthServerFactory _authServer = new(new Dictionary<string, string?> { ["Tokens:RefreshTokenReuseLeeway"] = "00:00:00" });
    private readonly List<ResourceApiFactory> _apis = [];

    public void Dispose()
    {
        _apis.ForEach(api => api.Dispose());
        _authServer.Dispose();
    }

    [Fact]
    public async Task Introspection_mode_accepts_a_valid_token_and_refuses_one_whose_login_was_revoked()
    {
        var api = StartApi(mode: "Introspection", cache: "00:00:00");
        var tokens = _authServer.CreateTokenClient();
        var login = await tokens.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);

        await tokens.RevokeAsync(login.AccessToken!);
        var response = await api.GetAsync("/api/notes", login.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Introspection_mode_refuses_the_tokens_of_a_family_revoked_for_reuse()
    {
        var api = StartApi(mode: "Introspection", cache: "00:00:00");
        var tokens = _authServer.CreateTokenClient();
        var login = await tokens.LoginAsync();
        var rotated = await tokens.RefreshAsync(login.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", rotated.AccessToken)).Status);

        var replay = await tokens.RefreshAsync(login.RefreshToken!);

        Assert.Equal("invalid_grant", replay.Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/notes", rotated.AccessToken)).Status);
    }

    [Fact]
    public async Task Jwt_mode_keeps_accepting_a_revoked_token_until_it_expires()
    {
        var api = StartApi(mode: "Jwt");
        var tokens = _authServer.CreateTokenClient();
        var login = await tokens.LoginAsync();

        await tokens.RevokeAsync(login.AccessToken!);

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);
    }

    [Fact]
    public async Task Introspection_answers_are_cached_for_the_configured_time()
    {
        var api = StartApi(mode: "Introspection", cache: "00:05:00");
        var tokens = _authServer.CreateTokenClient();
        var login = await tokens.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);

        await tokens.RevokeAsync(login.AccessToken!);

        // Within the cache time the earlier answer is reused: AuthServer is not asked again.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", login.AccessToken)).Status);
    }

    [Fact]
    public async Task Introspection_mode_refuses_a_token_for_another_audience_and_garbage()
    {
        var api = StartApi(mode: "Introspection", cache: "00:00:00");
        var tokens = _authServer.CreateTokenClient();
        var noAudience = await tokens.PasswordAsync("alice", "Pass123$", scope: "openid profile");

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/notes", noAudience.AccessToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/notes", "garbage")).Status);
    }

    private ApiClient StartApi(string mode, string cache = "00:00:10")
    {
        var api = new ResourceApiFactory(_authServer.Address, new Dictionary<string, string?>
        {
            ["Validation:Mode"] = mode,
            ["Validation:ClientSecret"] = TokenClient.ResourceApiSecret,
            ["Validation:IntrospectionCacheDuration"] = cache,
        });
        _apis.Add(api);
        return new ApiClient(api.CreateClient());
    }
}
