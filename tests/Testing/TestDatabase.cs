using AuthRefresh.Bench.Servers;

namespace AuthRefresh.Testing;

/// <summary>
/// The database a test runs an app on: <see cref="Sqlite"/> (the factory's own file) or
/// <see cref="PostgreSql"/> (a fresh database on the tests' cluster).
/// </summary>
public static class TestDatabase
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSql";

    /// <summary>The settings that put the app whose connection string is <paramref name="name"/> on <paramref name="provider"/>.</summary>
    public static async Task<Dictionary<string, string?>> SettingsAsync(string provider, string name)
    {
        if (provider == Sqlite)
        {
            return [];
        }

        var server = await PostgreSqlServer.GetAsync();
        return new()
        {
            ["Database:Provider"] = PostgreSql,
            [$"ConnectionStrings:{name}"] = await server.CreateDatabaseAsync(name.ToLowerInvariant()),
        };
    }
}
