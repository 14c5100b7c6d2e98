using System.Net;
using AuthRefresh.Testing;
using AuthServer.Commands;
using AuthServer.Data;
using AuthServer.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthServer.Tests;

public sealed class KeyRotationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("authserver-keys-").FullName;

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Server:Issuer"] = "http://authserver.test/",
        ["Keys:AutomaticRotation"] = "false", // the tests run the job themselves
        ["Keys:RotationInterval"] = "10.00:00:00",
        ["Keys:AnnouncePeriod"] = "2.00:00:00",
    };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_job_announces_the_next_key_switches_to_it_on_time_and_deletes_the_old_one_once_its_tokens_expired()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = new AuthServerFactory(Settings, databaseDirectory: _directory, time: time);
        var client = server.CreateTokenClient();
        var first = await client.LoginAsync();
        var firstKey = Jwt.Read(first.AccessToken!).Kid;

        time.Advance(TimeSpan.FromDays(7));
        await RunJobAsync(server);
        Assert.Equal([firstKey], await KeyIdsAsync(client)); // not due: 10 days minus 2 of announce

        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await RunJobAsync(server);
        var announced = await KeyIdsAsync(client);
        var nextKey = Assert.Single(announced, k => k != firstKey);
        Assert.Equal(firstKey, Jwt.Read((await client.LoginAsync()).AccessToken!).Kid); // announced, not used yet

        time.Advance(TimeSpan.FromDays(2));
        await ReloadAsync(server);
        var afterSwitch = await client.LoginAsync();
        Assert.Equal(nextKey, Jwt.Read(afterSwitch.AccessToken!).Kid);
        Assert.Contains(firstKey, await KeyIdsAsync(client)); // still published for the tokens it signed
        var refreshed = await client.RefreshAsync(first.RefreshToken!); // protected by the old encryption key
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(nextKey, Jwt.Read(refreshed.AccessToken!).Kid);

        await RunJobAsync(server);
        Assert.NotNull((await StoredAsync(server, firstKey)).RetiredAt);

        // Access and identity tokens live 5 and 20 minutes, plus 5 minutes of clock skew.
        time.Advance(TimeSpan.FromMinutes(31));
        await RunJobAsync(server);
        Assert.Equal([nextKey], await KeyIdsAsync(client));
        var encryption = await KeysAsync(server, StoredKey.Encryption);
        Assert.Equal(2, encryption.Count); // kept while a refresh token it protects can be valid (14 days)
        var oldEncryption = encryption.MinBy(k => k.CreatedAt)!.Id;
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(refreshed.RefreshToken!)).Status);

        time.Advance(TimeSpan.FromDays(15));
        await RunJobAsync(server);
        Assert.DoesNotContain(oldEncryption, (await KeysAsync(server, StoredKey.Encryption)).Select(k => k.Id));
    }

    [Fact]
    public async Task A_node_uses_a_key_another_node_made_without_a_restart()
    {
        var fast = new Dictionary<string, string?>(Settings) { ["Keys:ReloadInterval"] = "00:00:00.200", ["Keys:AnnouncePeriod"] = "00:00:01" };
        using var a = new AuthServerFactory(fast, databaseDirectory: _directory);
        using var b = new AuthServerFactory(fast, databaseDirectory: _directory);
        var clientA = a.CreateTokenClient();
        var clientB = b.CreateTokenClient();
        var before = await clientB.LoginAsync();
        var oldKey = Jwt.Read(before.AccessToken!).Kid;

        IReadOnlyList<string> created;
        using (var scope = a.Services.CreateScope())
        {
            created = await scope.ServiceProvider.GetRequiredService<KeyStore>().RotateAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        }

        var newKey = created.Single(k => k.StartsWith("sig:", StringComparison.Ordinal))["sig:".Length..];
        await WaitForAsync(async () => (await KeyIdsAsync(clientB)).Contains(newKey));
        await WaitForAsync(async () => Jwt.Read((await clientB.LoginAsync()).AccessToken!).Kid == newKey);

        Assert.Contains(oldKey, await KeyIdsAsync(clientB));
        var refreshed = await clientA.RefreshAsync(before.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(HttpStatusCode.OK, (await clientB.RefreshAsync(refreshed.RefreshToken!)).Status);
    }

    [Fact]
    public async Task Rotate_keys_announces_for_the_announce_period_or_with_now_for_two_reload_intervals()
    {
        using var server = new AuthServerFactory(Settings, databaseDirectory: _directory);
        _ = server.Services; // started, keys made
        var output = new StringWriter();

        Assert.Equal(2, await RotateKeysCommand.RunAsync(server.Services, ["rotate-keys", "--later"], output, output));
        Assert.Equal(0, await RotateKeysCommand.RunAsync(server.Services, ["rotate-keys"], output, output));
        var planned = (await KeysAsync(server, StoredKey.Signing)).MaxBy(k => k.CreatedAt)!;
        Assert.InRange(planned.ActivatesAt - planned.CreatedAt, TimeSpan.FromDays(2) - TimeSpan.FromSeconds(1), TimeSpan.FromDays(2));

        Assert.Equal(0, await RotateKeysCommand.RunAsync(server.Services, ["rotate-keys", "--now"], output, output));
        var keys = await KeysAsync(server, StoredKey.Signing);
        var urgent = keys.MaxBy(k => k.CreatedAt)!;
        Assert.InRange(urgent.ActivatesAt - urgent.CreatedAt, TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        Assert.NotNull(keys.Single(k => k.Id == planned.Id).RetiredAt); // the planned one gives way
        Assert.Contains(urgent.Id, output.ToString(), StringComparison.Ordinal);
    }

    private static async Task RunJobAsync(AuthServerFactory server)
    {
        using var scope = server.Services.CreateScope();
        await ActivatorUtilities.CreateInstance<KeyRotationJob>(scope.ServiceProvider).Execute(context: null!, CancellationToken.None);
    }

    private static Task ReloadAsync(AuthServerFactory server) => server.Services.GetRequiredService<ServerKeys>().ReloadAsync(CancellationToken.None);

    private static async Task<List<StoredKey>> KeysAsync(AuthServerFactory server, string use)
    {
        using var scope = server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().StoredKeys.AsNoTracking().Where(k => k.Use == use).ToListAsync();
    }

    private static async Task<StoredKey> StoredAsync(AuthServerFactory server, string id)
        => (await KeysAsync(server, StoredKey.Signing)).Single(k => k.Id == id);

    private static Task<List<string>> KeyIdsAsync(TokenClient client) => Jwt.KeyIdsAsync(client.Http);

    private static Task WaitForAsync(Func<Task<bool>> condition) => Eventually.HoldsAsync(condition, TimeSpan.FromSeconds(20));
}
