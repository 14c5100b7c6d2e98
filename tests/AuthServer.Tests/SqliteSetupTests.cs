using AuthRefresh.Testing;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests;

public sealed class SqliteSetupTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    [Fact]
    public async Task Every_connection_waits_for_other_writers_and_the_database_is_in_wal_mode()
    {
        // Note: several scopes, so pooled connections are opened again as well as new ones.
        for (var i = 0; i < 3; i++)
        {
            using var scope = server.Factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();

            await db.Database.OpenConnectionAsync();
            Assert.Equal(30000L, await PragmaAsync(db, "busy_timeout"));
            Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<object?> PragmaAsync(ApplicationDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return await command.ExecuteScalarAsync();
    }
}
