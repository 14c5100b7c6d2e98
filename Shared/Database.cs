using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuthRefresh.Shared;

/// <summary>How every AuthRefresh app registers, checks and migrates its database.</summary>
public static class Database
{
    public static DatabaseProvider GetDatabaseProvider(this IHostApplicationBuilder builder)
        => builder.Configuration.GetSection(DatabaseSettings.SectionName).Get<DatabaseSettings>()?.Provider ?? DatabaseProvider.Sqlite;

    /// <summary>
    /// Registers the app's context on the connection string <paramref name="name"/>, for the
    /// configured provider, and a readiness check that reaches it. On PostgreSQL the context is a
    /// <typeparamref name="TPostgreSqlContext"/>: the same model, with its own migrations.
    /// </summary>
    public static DatabaseProvider AddDatabase<TContext, TPostgreSqlContext>(
        this IHostApplicationBuilder builder, string name, Action<DbContextOptionsBuilder>? configure = null)
        where TContext : DbContext
        where TPostgreSqlContext : TContext
    {
        var provider = builder.GetDatabaseProvider();
        if (provider == DatabaseProvider.PostgreSql)
        {
            var connectionString = builder.GetPostgreSqlConnectionString(name);
            builder.Services.AddDbContextPool<TContext, TPostgreSqlContext>(options =>
            {
                options.UseNpgsql(connectionString);
                configure?.Invoke(options);
            });
        }
        else
        {
            builder.AddSqliteDbContext<TContext>(name, configure);
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>("database");
        return provider;
    }

    /// <summary>
    /// Brings the database to the app's model and runs <paramref name="seed"/>, as one node at a
    /// time: on PostgreSQL, nodes starting together take turns on an advisory lock (and the
    /// database is created if it does not exist), so that each finds the schema, the keys and the
    /// seed data of the one before it rather than writing them twice.
    /// </summary>
    public static async Task InitializeAsync(DbContext context, Func<Task>? seed, CancellationToken cancellationToken)
    {
        await using var turn = context.Database.IsNpgsql()
            ? await PostgreSqlDatabase.InitializationTurnAsync(context.Database.GetConnectionString()!, cancellationToken)
            : null;
        await (turn is null ? SqliteDatabase.MigrateAsync(context, cancellationToken) : context.Database.MigrateAsync(cancellationToken));
        if (seed is not null)
        {
            await seed();
        }
    }
}
