using System.Net;
using AuthRefresh.Testing;

namespace Faults.Tests;

/// <summary>
/// 64 concurrent presentations of one refresh token, 20 times with fresh logins, against the
/// AuthServer process: no 5xx, one successor, and a family either whole or wholly revoked.
/// </summary>
public sealed class RefreshStormTests : IAsyncLifetime
{
    private const int Rounds = 20;
    private const int Concurrency = 64;

    private readonly AuthServerProcess _server = new();
    private readonly LeakCheck _leaks = new();

    public Task InitializeAsync() => _server.StartAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Concurrent_presentations_of_one_token_give_one_successor_and_leave_a_whole_family()
    {
        var client = _server.CreateTokenClient();
        _leaks.Secret(TokenClient.DemoPassword);

        for (var round = 0; round < Rounds; round++)
        {
            var login = await client.LoginAsync(scope: "openid offline_access notes");
            Remember(login);

            var answers = await AtOnce.RunAsync(Concurrency, () => client.RefreshAsync(login.RefreshToken!));
            foreach (var answer in answers)
            {
                Remember(answer);
            }

            Assert.All(answers, a => Assert.True((int)a.Status < 500, $"round {round}: {(int)a.Status} {a.Raw}"));
            var granted = answers.Where(a => a.Status == HttpStatusCode.OK).ToList();
            var successor = Assert.Single(granted.Select(a => a.RefreshToken).Distinct());

            // The one successor works, and the family holds no token revoked beside valid ones.
            var next = await client.RefreshAsync(successor!);
            Remember(next);
            Assert.Equal(HttpStatusCode.OK, next.Status);
            var statuses = FamilyStatuses(login.AccessToken!);
            var family = string.Join(", ", statuses);
            Assert.DoesNotContain(statuses, s => s.EndsWith(":revoked", StringComparison.Ordinal));
            Assert.True(statuses.Count(s => s.Contains("refresh_token:valid", StringComparison.Ordinal)) == 1, family);
        }

        _leaks.AssertNotIn(_server.ReadLog());
    }

    private void Remember(OAuthResponse response)
    {
        _leaks.Token(response.AccessToken);
        _leaks.Token(response.RefreshToken);
    }

    /// <summary>"type:status" of every token entry of the login an access token belongs to.</summary>
    private IReadOnlyList<string> FamilyStatuses(string accessToken) => _server.Query(
        "SELECT t.Type || ':' || t.Status FROM OpenIddictTokens t WHERE t.AuthorizationId = $login " +
        "UNION ALL SELECT 'login:' || Status FROM OpenIddictAuthorizations WHERE Id = $login",
        ("$login", Jwt.Read(accessToken).GetClaim("oi_au_id").Value));
}
