using System.Globalization;
using AuthRefresh.Bench.Servers;
using AuthRefresh.Testing;
using Microsoft.Data.Sqlite;

namespace Faults.Tests;

/// <summary>
/// AuthServer as its own process (the Development settings: demo users, plain HTTP on 127.0.0.1)
/// on a SQLite file in a folder of the test's, always on the same port and issuer, so that it can
/// be killed with SIGKILL and started again on the same database as a crashed server would be.
/// </summary>
internal sealed class AuthServerProcess : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Dictionary<string, string> _settings;
    private readonly int _port = AuthServerFactory.FreePort();
    private ServerProcess? _process;

    public AuthServerProcess(IDictionary<string, string>? settings = null)
    {
        Address = new Uri($"http://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}/");
        _settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            // Note: Development's appsettings name port 8001; the app's own settings win over ASPNETCORE_URLS.
            ["Urls"] = Address.ToString().TrimEnd('/'),
            ["ConnectionStrings:AuthServer"] = $"Data Source={DatabasePath}",
            ["Server:Issuer"] = Address.ToString(),
            ["RateLimiting:Enabled"] = "false",
            ["Pruning:Enabled"] = "false",
            ["Logging:Console:FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
    }

    public Uri Address { get; }

    public string DatabasePath => Path.Combine(_folder.Path, "authserver.db");

    /// <summary>Everything the process wrote to its console, across restarts.</summary>
    public string LogPath => Path.Combine(_folder.Path, "AuthServer.log");

    public string ReadLog() => File.ReadAllText(LogPath);

    public async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        _process = await ServerProcess.StartAsync(RepositoryPaths.Root, "AuthServer", _port, _settings, _folder.Path, timeout.Token);
    }

    /// <summary>SIGKILL: no shutdown, no flush, whatever was in flight is lost.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public TokenClient CreateTokenClient() => new(new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) });

    /// <summary>SQLite's own check of the whole file, from outside the server.</summary>
    public string IntegrityCheck()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return string.Join("; ", Rows(command));
    }

    /// <summary>The rows of a query, each as its columns joined by '|'.</summary>
    public IReadOnlyList<string> Query(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Rows(command);
    }

    private static List<string> Rows(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : reader.GetValue(i).ToString())));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _folder.Dispose();
    }
}
