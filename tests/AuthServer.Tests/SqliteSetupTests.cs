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

    [Fact]
    public async Task A_save_that_loses_a_concurrency_check_lets_the_next_writer_in()
    {
        var userName = await TestUsers.CreateAsync(server.Factory);
        using var first = server.Factory.Services.CreateScope();
        using var second = server.Factory.Services.CreateScope();
        var firstDb = first.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var secondDb = second.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var firstCopy = await firstDb.Users.SingleAsync(user => user.UserName == userName);
        var secondCopy = await secondDb.Users.SingleAsync(user => user.UserName == userName);

        // Both change the same row; Identity's concurrency stamp makes the second save a conflict.
        firstCopy.DisplayName = "first";
        firstCopy.ConcurrencyStamp = Guid.NewGuid().ToString();
        await firstDb.SaveChangesAsync();
        secondCopy.DisplayName = "second";
        secondCopy.ConcurrencyStamp = Guid.NewGuid().ToString();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => secondDb.SaveChangesAsync());

        // The loser's turn at the write gate ended with its save: the next save goes through.
        firstCopy.DisplayName = "after";
        await firstDb.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<object?> PragmaAsync(ApplicationDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return await command.ExecuteScalarAsync();
    }
}
