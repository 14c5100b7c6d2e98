using System.Net;
using AuthRefresh.Testing;

namespace AuthServer.Tests;

public sealed class RevocationAndIntrospectionTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly TokenClient _client = server.Factory.CreateTokenClient();

    [Fact]
    public async Task A_revoked_refresh_token_can_no_longer_be_used()
    {
        var login = await _client.LoginAsync();

        var revoke = await _client.RevokeAsync(login.RefreshToken!, hint: "refresh_token");
        var refresh = await _client.RefreshAsync(login.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, revoke.Status);
        Assert.Equal("invalid_grant", refresh.Error);
    }

    [Fact]
    public async Task A_revoked_access_token_is_reported_inactive()
    {
        var login = await _client.LoginAsync();

        var before = await _client.IntrospectAsync(login.AccessToken!);
        await _client.RevokeAsync(login.AccessToken!, hint: "access_token");
        var after = await _client.IntrospectAsync(login.AccessToken!);

        Assert.True(before.Json.GetProperty("active").GetBoolean());
        Assert.False(after.Json.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.UserInfoAsync(login.AccessToken)).Status);
    }

    [Fact]
    public async Task Revoking_an_unknown_token_answers_200_as_rfc7009_requires()
    {
        var response = await _client.RevokeAsync("not-a-token");

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task A_client_cannot_revoke_another_clients_token()
    {
        var login = await _client.LoginAsync();

        await _client.RevokeAsync(login.RefreshToken!, TokenClient.SampleClient, TokenClient.SampleSecret);

        Assert.Equal(HttpStatusCode.OK, (await _client.RefreshAsync(login.RefreshToken!)).Status);
    }

    [Fact]
    public async Task Introspection_describes_an_active_access_token()
    {
        var login = await _client.LoginAsync();

        var response = await _client.IntrospectAsync(login.AccessToken!);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Json.GetProperty("active").GetBoolean());
        Assert.Equal(Jwt.Read(login.AccessToken!).Subject, response.Get("sub"));
        Assert.Equal(TokenClient.PublicClient, response.Get("client_id"));
        Assert.Contains("notes", response.Get("scope")!.Split(' '));
        Assert.True(response.Json.TryGetProperty("exp", out _));
    }

    [Fact]
    public async Task Introspection_of_garbage_says_inactive()
    {
        var response = await _client.IntrospectAsync("garbage");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.False(response.Json.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspection_needs_the_resource_servers_credentials()
    {
        var login = await _client.LoginAsync();

        var anonymous = await _client.IntrospectAsync(login.AccessToken!, TokenClient.ResourceApi, secret: null);
        var wrongSecret = await _client.IntrospectAsync(login.AccessToken!, TokenClient.ResourceApi, secret: "wrong");
        var notAllowed = await _client.IntrospectAsync(login.AccessToken!, TokenClient.SampleClient, TokenClient.SampleSecret);

        Assert.Equal("invalid_client", anonymous.Error);
        Assert.Equal("invalid_client", wrongSecret.Error);
        Assert.Equal("unauthorized_client", notAllowed.Error);
    }
}
