using System.Net;
using AuthRefresh.Testing;
using AuthServer.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace ResourceApi.Tests;

/// <summary>ResourceApi keeps working while AuthServer restarts, even onto a new signing key.</summary>
public sealed class AuthServerRestartTests : IDisposable
{
    private readonly TempDirectory _database = new();
    private readonly int _port = AuthServerFactory.FreePort();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task The_api_keeps_working_across_an_AuthServer_restart()
    {
        string before;
        using var api = StartApi();
        using (var first = StartAuthServer())
        {
            before = (await first.CreateTokenClient().LoginAsync()).AccessToken!;
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", before)).Status);
        }

        using var second = StartAuthServer();
        var after = (await second.CreateTokenClient().LoginAsync()).AccessToken!;

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", before)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", after)).Status);
    }

    [Fact]
    public async Task The_api_accepts_a_token_signed_with_a_new_key_on_the_first_request()
    {
        string before;
        using var api = StartApi();
        using (var first = StartAuthServer())
        {
            before = (await first.CreateTokenClient().LoginAsync()).AccessToken!;
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", before)).Status);
            using var scope = first.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<KeyStore>().RotateAsync(TimeSpan.Zero, CancellationToken.None);
        }

        using var second = StartAuthServer();
        var after = (await second.CreateTokenClient().LoginAsync()).AccessToken!;
        Assert.NotEqual(Jwt.Read(before).Kid, Jwt.Read(after).Kid);

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", after)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", before)).Status);
    }

    private AuthServerFactory StartAuthServer()
    {
        var server = new AuthServerFactory(databaseDirectory: _database.Path, port: _port);
        _ = server.Address; // started now, so the API finds it
        return server;
    }

    private DisposableApi StartApi() => new(new ResourceApiFactory(new Uri($"http://127.0.0.1:{_port}/")));

    private sealed class DisposableApi(ResourceApiFactory factory) : IDisposable
    {
        private readonly ApiClient _client = new(factory.CreateClient());

        public Task<ApiResponse> GetAsync(string path, string token) => _client.GetAsync(path, token);

        public void Dispose() => factory.Dispose();
    }
}
