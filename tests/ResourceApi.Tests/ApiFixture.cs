using AuthRefresh.Testing;

namespace ResourceApi.Tests;

/// <summary>
/// An AuthServer and a ResourceApi (JWT mode) that trusts it, both on real ports. AuthServer also
/// knows two scopes for these tests: <c>audit</c> (audience resource-api, but not <c>notes</c>)
/// and <c>other</c> (another API's audience). The same pair on PostgreSQL is started on first use
/// (<see cref="OnAsync"/>).
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private Task<ApiPair>? _postgreSql;

    public AuthServerFactory AuthServer { get; } = new(ExtraScopes.ClientSettings);

    public ResourceApiFactory Api { get; private set; } = null!;

    /// <summary>The pair on <paramref name="database"/> (a <see cref="TestDatabase"/> name).</summary>
    public Task<ApiPair> OnAsync(string database) => database == TestDatabase.Sqlite
        ? Task.FromResult(new ApiPair(AuthServer, Api))
        : _postgreSql ??= StartOnPostgreSqlAsync();

    public async Task InitializeAsync()
    {
        await ExtraScopes.RegisterAsync(AuthServer);
        Api = new ResourceApiFactory(AuthServer.Address);
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        AuthServer.Dispose();
        if (_postgreSql is { IsCompletedSuccessfully: true })
        {
            var pair = await _postgreSql;
            pair.Api.Dispose();
            pair.AuthServer.Dispose();
        }
    }

    private static async Task<ApiPair> StartOnPostgreSqlAsync()
    {
        var server = new AuthServerFactory(ExtraScopes.ClientSettings
            .Concat(await TestDatabase.SettingsAsync(TestDatabase.PostgreSql, "AuthServer")).ToDictionary());
        await ExtraScopes.RegisterAsync(server);
        var api = new ResourceApiFactory(server.Address, await TestDatabase.SettingsAsync(TestDatabase.PostgreSql, "ResourceApi"));
        return new ApiPair(server, api);
    }
}
