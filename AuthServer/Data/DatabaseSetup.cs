using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Data;

internal static class DatabaseSetup
{
    public const string ConnectionStringName = "AuthServer";

    /// <summary>
    /// Registers the DbContext on the configured SQLite connection string. A relative
    /// <c>Data Source</c> is taken relative to the app's content root, and its folder is created,
    /// so the default works from any working directory.
    /// </summary>
    public static void AddApplicationDatabase(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is missing.");
        }

        var connection = new SqliteConnectionStringBuilder(configured);
        if (connection.DataSource is { Length: > 0 } source && source != ":memory:" && !Path.IsPathRooted(source))
        {
            connection.DataSource = Path.Combine(builder.Environment.ContentRootPath, source);
        }

        if (Path.GetDirectoryName(connection.DataSource) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        // Note: a shared cache is not used; WAL gives readers and one writer concurrency, and the
        // busy timeout (DefaultTimeout) makes a writer wait instead of failing with SQLITE_BUSY.
        connection.DefaultTimeout = 30;
        var connectionString = connection.ToString();

        builder.Services.AddDbContext<ApplicationDbContext>(options =>
        {
            options.UseSqlite(connectionString);
            options.UseOpenIddict();
        });
    }

    /// <summary>Applies the migrations and switches the database to the WAL journal.</summary>
    public static async Task MigrateAsync(ApplicationDbContext context, CancellationToken cancellationToken)
    {
        await context.Database.MigrateAsync(cancellationToken);

        // Note: the journal mode is stored in the database file, so this only changes it once.
        await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
