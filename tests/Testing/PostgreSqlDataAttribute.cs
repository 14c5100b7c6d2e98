using System.Reflection;
using AuthRefresh.Bench.Servers;
using Xunit.Sdk;

namespace AuthRefresh.Testing;

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
