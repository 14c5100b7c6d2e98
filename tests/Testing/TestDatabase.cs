using System.Reflection;
using AuthRefresh.Bench.Servers;
using Xunit;
using Xunit.Sdk;

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

/// <summary>
/// A theory's rows, one per database: SQLite always, PostgreSQL where it is installed (a skipped
/// row with the reason where it is not). The row's value is <see cref="TestDatabase.Sqlite"/> or
/// <see cref="TestDatabase.PostgreSql"/>.
/// </summary>
public sealed class PostgreSqlDataAttribute : DataAttribute
{
    public PostgreSqlDataAttribute()
    {
        if (PostgreSqlServer.BinDirectory is null)
        {
            Skip = PostgreSqlServer.NotInstalled;
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[TestDatabase.PostgreSql]];
}

/// <summary>A test that needs PostgreSQL: skipped with the reason where it is not installed.</summary>
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (PostgreSqlServer.BinDirectory is null)
        {
            Skip = PostgreSqlServer.NotInstalled;
        }
    }
}
