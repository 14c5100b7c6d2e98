using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthRefresh.Testing;

/// <summary>
/// A real AuthServer on a real Kestrel port on 127.0.0.1, with its own SQLite file. Settings
/// are the Development ones (demo users, http allowed) plus what a test passes in.
/// </summary>
public sealed class AuthServerFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDirectory;
    private readonly Action<IServiceCollection>? _services;

    public AuthServerFactory(
        IDictionary<string, string?>? settings = null,
        string? databaseDirectory = null,
        FakeTimeProvider? time = null,
        string environment = "Development",
        Action<IServiceCollection>? services = null,
        int port = 0)
    {
        _services = services;
        _ownsDirectory = databaseDirectory is null;
        DatabaseDirectory = databaseDirectory ?? Directory.CreateTempSubdirectory("authserver-tests-").FullName;
        Time = time;
        Environment = environment;
        _settings = new(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:AuthServer"] = $"Data Source={Path.Combine(DatabaseDirectory, "authserver.db")}",
            // The issuer is taken from the request, since the port is chosen at start.
            ["Server:Issuer"] = "",
            ["RateLimiting:Enabled"] = "false",
            ["Pruning:Enabled"] = "false",
        };

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
    }

    /// <summary>Where the server listens (it is started if it was not yet).</summary>
    public Uri Address => KestrelAddress.Of(this);

    /// <summary>A free port on 127.0.0.1, for a server that must come back on the same address.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public string DatabaseDirectory { get; }

    public FakeTimeProvider? Time { get; }

    public string Environment { get; }

    public TokenClient CreateTokenClient() => new(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (Time is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time));
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DatabaseDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left for the OS to clean up with the temp folder.
            }
        }
    }
}
