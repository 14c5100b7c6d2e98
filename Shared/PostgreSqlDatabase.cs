using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace AuthRefresh.Shared;

/// <summary>What an app does on PostgreSQL that EF Core does not do for it.</summary>
public static class PostgreSqlDatabase
{
    // Note: the key of the advisory lock nodes take turns on at start, one per database: any
    // 64-bit number no other program on the database uses ("AuthRfsh" in ASCII).
    private const long InitializationLock = 0x4175746852667368;

    public static string GetPostgreSqlConnectionString(this IHostApplicationBuilder builder, string name)
    {
        var configured = builder.Configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException($"ConnectionStrings:{name} is missing.");
        }

        var connection = new NpgsqlConnectionStringBuilder(configured);
        if (string.IsNullOrEmpty(connection.Database))
        {
            throw new InvalidOperationException($"ConnectionStrings:{name} names no Database.");
        }

        return connection.ToString();
    }

    /// <summary>
    /// Waits for this node's turn to initialize the database (creating it first if it is missing)
    /// and holds it until the result is disposed.
    /// </summary>
    public static async Task<NpgsqlConnection> InitializationTurnAsync(string connectionString, CancellationToken cancellationToken)
    {
        await CreateIfMissingAsync(connectionString, cancellationToken);

        // Note: its own connection, outside the pool: the lock is the session's and ends with it,
        // even if the node dies while it holds it.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", InitializationLock);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Begins a transaction that holds the advisory lock <paramref name="key"/> until it ends, so
    /// that nodes doing the same change take turns rather than both doing it.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginLockedTransactionAsync(this DatabaseFacade database, long key, CancellationToken cancellationToken)
    {
        var transaction = await database.BeginTransactionAsync(cancellationToken);
        try
        {
            await database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private static async Task CreateIfMissingAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        try
        {
            await using var probe = new NpgsqlConnection(target.ToString());
            await probe.OpenAsync(cancellationToken);
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // The database does not exist yet: created below, from the server's maintenance database.
        }

        var database = target.Database!;
        var maintenance = new NpgsqlConnectionStringBuilder(target.ToString()) { Database = "postgres" };
        await using var connection = new NpgsqlConnection(maintenance.ToString());
        await connection.OpenAsync(cancellationToken);
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another node created it between the probe and here.
        }
    }
}
