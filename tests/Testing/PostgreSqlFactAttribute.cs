using AuthRefresh.Bench.Servers;
using Xunit;

namespace AuthRefresh.Testing;

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
