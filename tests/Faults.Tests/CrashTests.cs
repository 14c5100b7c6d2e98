using System.Net;
using AuthRefresh.Testing;

namespace Faults.Tests;

/// <summary>
/// kill -9 in the middle of a refresh storm, three times on one database: the file stays sound,
/// no client loses its login, and the access tokens issued before the crash stay valid.
/// </summary>
public sealed class CrashTests : IAsyncLifetime
{
    private const int Clients = 16;
    private const int Rounds = 3;

    // A client whose answer was lost in the crash retries with the token it had; the leeway lets
    // that retry get the answer it lost. Its length is not what this test is about (a restart on
    // a busy CI machine can take more than the default 10 s).
    private readonly AuthServerProcess _server = new(new Dictionary<string, string> { ["Tokens:RefreshTokenReuseLeeway"] = "00:02:00" });
    private readonly LeakCheck _leaks = new();

    public Task InitializeAsync() => _server.StartAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task A_server_killed_under_load_loses_no_login_and_no_key()
    {
        var random = new Random(Environment.TickCount);
        var client = _server.CreateTokenClient();
        _leaks.Secret(TokenClient.DemoPassword);
        var last = new OAuthResponse[Clients];
        for (var i = 0; i < Clients; i++)
        {
            last[i] = Remember(await client.LoginAsync(scope: "openid offline_access notes"));
        }

        for (var round = 0; round < Rounds; round++)
        {
            var crashAfter = TimeSpan.FromMilliseconds(random.Next(2_000, 8_000));
            using var stop = new CancellationTokenSource();
            var rotations = Enumerable.Range(0, Clients).Select(i => RotateAsync(client, last, i, stop.Token)).ToList();

            await Task.Delay(crashAfter);
            await _server.KillAsync();
            await stop.CancelAsync();
            var refreshes = (await Task.WhenAll(rotations)).Sum();
            Assert.True(refreshes > Clients, $"round {round}: only {refreshes} refreshes before the crash after {crashAfter}");

            Assert.Equal("ok", _server.IntegrityCheck());
            await _server.StartAsync();

            // A ResourceApi started now knows nothing but what the restarted AuthServer publishes.
            using (var api = new ResourceApiFactory(_server.Address))
            {
                using var http = api.CreateClient();
                for (var i = 0; i < Clients; i++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
                    request.Headers.Authorization = new("Bearer", last[i].AccessToken);
                    using var response = await http.SendAsync(request);
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"round {round}, client {i}: the access token from before the crash got {(int)response.StatusCode}");
                }
            }

            for (var i = 0; i < Clients; i++)
            {
                var refreshed = Remember(await client.RefreshAsync(last[i].RefreshToken!));
                Assert.True(refreshed.Status == HttpStatusCode.OK, $"round {round} (crash after {crashAfter}), client {i}: {refreshed.Raw}");
                last[i] = refreshed;
            }
        }

        _leaks.AssertNotIn(_server.ReadLog());
    }

    /// <summary>
    /// One client: refreshes in a loop, keeping the last answer that was a 200, until the server
    /// is gone. Returns how many refreshes were granted.
    /// </summary>
    private async Task<int> RotateAsync(TokenClient client, OAuthResponse[] last, int index, CancellationToken stop)
    {
        var granted = 0;
        while (!stop.IsCancellationRequested)
        {
            OAuthResponse answer;
            try
            {
                answer = await client.RefreshAsync(last[index].RefreshToken!);
            }
            catch (HttpRequestException)
            {
                return granted; // the server was killed while this request was in flight
            }

            Assert.True(answer.Status == HttpStatusCode.OK, $"client {index} before the crash: {answer.Raw}");
            last[index] = Remember(answer);
            granted++;
        }

        return granted;
    }

    private OAuthResponse Remember(OAuthResponse response)
    {
        _leaks.Token(response.AccessToken);
        _leaks.Token(response.RefreshToken);
        return response;
    }
}
