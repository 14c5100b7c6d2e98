using System.Diagnostics;
using Npgsql;

namespace AuthRefresh.Bench.Servers;

/// <summary>
/// A throw-away PostgreSQL cluster: <c>initdb</c> in a temporary folder, <c>pg_ctl start</c> on a
/// free port of 127.0.0.1, stopped and deleted when disposed or when the process exits. The tests
/// share one (<see cref="GetAsync"/>), started by the first test that asks for it, each test in a
/// database of its own (<see cref="CreateDatabaseAsync"/>); the benchmark starts its own, durable
/// one. As root (initdb refuses root), the cluster runs as the <c>postgres</c> user that Debian's
/// package creates.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgreSqlServer>> Shared = new(() => StartAsync(durable: false));
    private static int _databases;

    private readonly string _folder;
    private readonly string _bin;
    private readonly string? _runAs;
    private int _stopped;

    private PostgreSqlServer(string folder, string bin, string? runAs, int port)
    {
        _folder = folder;
        _bin = bin;
        _runAs = runAs;
        Port = port;
    }

    /// <summary>The folder of <c>initdb</c> and <c>pg_ctl</c>, or null when PostgreSQL is not installed.</summary>
    public static string? BinDirectory { get; } = FindBinDirectory();

    public static string NotInstalled =>
        "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH): install Debian's postgresql package, as ./test.sh does";

    public int Port { get; }

    /// <summary>The tests' cluster, started on first use.</summary>
    public static Task<PostgreSqlServer> GetAsync() => Shared.Value;

    /// <summary>A new, empty database's connection string (the apps create it if it is missing; this does not).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "authrefresh",
        Database = database,
    }.ToString();

    /// <summary>Creates a database no other test uses and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>
    /// Starts a cluster of its own. Durable is PostgreSQL's defaults (fsync, synchronous commit),
    /// as a deployment runs; otherwise both are off, which is the tests' speed.
    /// </summary>
    public static async Task<PostgreSqlServer> StartAsync(bool durable)
    {
        var bin = BinDirectory ?? throw new InvalidOperationException(NotInstalled);
        DeleteStopped();
        var folder = Directory.CreateTempSubdirectory("authrefresh-pg-").FullName;
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        if (runAs is not null)
        {
            await RunAsync("chown", ["-R", $"{runAs}:{runAs}", folder]);
        }

        var port = BenchServers.FreePort();
        var server = new PostgreSqlServer(folder, bin, runAs, port);
        await server.PgAsync("initdb", ["-D", server.Data, "-U", "authrefresh", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);

        // Note: sockets in the folder, not in /var/run/postgresql, which an ordinary user cannot write.
        var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=400" +
            (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await server.PgAsync("pg_ctl", ["-D", server.Data, "-l", Path.Combine(folder, "log"), "-o", options, "-w", "-t", "60", "start"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private string Data => Path.Combine(_folder, "data");

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    // Note: best effort. The test host may end this process before a ProcessExit handler is
    // done, so a folder can stay behind; the next run deletes it (DeleteStopped).
    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            PgAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"]).GetAwaiter().GetResult();
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Deletes the folders of earlier runs whose cluster is no longer running. A young folder may
    /// be another test assembly's cluster still starting (no postmaster.pid yet): it stays.
    /// </summary>
    private static void DeleteStopped()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "authrefresh-pg-*"))
        {
            if (File.Exists(Path.Combine(folder, "data", "postmaster.pid"))
                || Directory.GetCreationTimeUtc(folder) > DateTime.UtcNow.AddMinutes(-10))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private Task PgAsync(string tool, string[] arguments) => _runAs is null
        ? RunAsync(Path.Combine(_bin, tool), arguments)
        : RunAsync("runuser", ["-u", _runAs, "--", Path.Combine(_bin, tool), .. arguments]);

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static string? FindBinDirectory()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;
        return debian ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .FirstOrDefault(d => d.Length > 0 && File.Exists(Path.Combine(d, "initdb")));
    }
}
