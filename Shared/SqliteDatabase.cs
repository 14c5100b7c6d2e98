using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuthRefresh.Shared;

/// <summary>How every AuthRefresh service keeps its SQLite database.</summary>
public static class SqliteDatabase
{
    /// <summary>
    /// How long a connection waits for SQLite's write lock before it fails with SQLITE_BUSY: both
    /// Microsoft.Data.Sqlite's own wait (the connection string's <c>Default Timeout</c>) and
    /// SQLite's <c>PRAGMA busy_timeout</c> are set from it.
    /// </summary>
    public const int LockWaitSeconds = 30;

    /// <summary>
    /// Registers <typeparamref name="TContext"/> on the connection string <paramref name="name"/>
    /// (see <see cref="GetSqliteConnectionString"/>).
    /// </summary>
    public static void AddSqliteDbContext<TContext>(
        this IHostApplicationBuilder builder, string name, Action<DbContextOptionsBuilder>? configure = null)
        where TContext : DbContext
    {
        var connectionString = builder.GetSqliteConnectionString(name);

        // Note: one gate per database, shared by all the contexts on it.
        var gate = new SqliteWriteGate();
        // Note: pooled contexts. Building a context's internal services costs as much as a simple
        // query (docs/PERFORMANCE.md); a pooled one is reset and reused.
        var traced = Telemetry.IsExportConfigured(builder.Configuration);
        builder.Services.AddDbContextPool<TContext>(options =>
        {
            options.UseSqlite(connectionString).AddInterceptors(gate);
            if (traced)
            {
                options.AddInterceptors(DatabaseCommandSpans.Instance);
            }

            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// The connection string <paramref name="name"/> as every connection to it must use it. A
    /// relative <c>Data Source</c> is taken relative to the app's content root, and its folder is
    /// created, so the default works from any working directory.
    /// </summary>
    public static string GetSqliteConnectionString(this IHostApplicationBuilder builder, string name)
    {
        var configured = builder.Configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException($"ConnectionStrings:{name} is missing.");
        }

        var connection = new SqliteConnectionStringBuilder(configured);
        if (connection.DataSource is { Length: > 0 } source && source != ":memory:" && !Path.IsPathRooted(source))
        {
            connection.DataSource = Path.Combine(builder.Environment.ContentRootPath, source);
        }

        if (connection.DataSource is { Length: > 0 } file && file != ":memory:")
        {
            OwnerOnly(file);
        }

        // Note: WAL (set at migration) lets readers work beside the one writer; the busy timeout
        // makes a writer wait for the lock instead of failing with SQLITE_BUSY.
        connection.DefaultTimeout = LockWaitSeconds;
        return connection.ToString();
    }

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Makes the database file (and its folder, when this creates it) readable by its owner only:
    /// it holds password hashes, tokens and the key ring. SQLite gives its -wal and -shm files the
    /// database file's permissions. An existing file open to others is closed to them.
    /// </summary>
    private static void OwnerOnly(string file)
    {
        if (Path.GetDirectoryName(file) is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, OwnerReadWrite | UnixFileMode.UserExecute);
            }
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(file))
        {
            using var created = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite });
            return;
        }

        foreach (var path in new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists))
        {
            if ((File.GetUnixFileMode(path) & ~(OwnerReadWrite | UnixFileMode.UserExecute)) != 0)
            {
                File.SetUnixFileMode(path, OwnerReadWrite);
            }
        }
    }

    /// <summary>Applies the migrations and switches the database to the WAL journal.</summary>
    public static async Task MigrateAsync(DbContext context, CancellationToken cancellationToken)
    {
        await context.Database.MigrateAsync(cancellationToken);

        // Note: the journal mode is stored in the database file, so this changes it only once.
        await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
