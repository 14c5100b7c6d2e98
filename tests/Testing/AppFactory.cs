using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthRefresh.Testing;

/// <summary>
/// One of the apps on a real Kestrel port on 127.0.0.1, with its SQLite file in a folder of its
/// own (deleted afterwards unless the test passed one in), its environment's settings plus the
/// test's, and optionally a clock the test moves.
/// </summary>
public abstract class AppFactory<TEntryPoint> : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly TempDirectory? _ownDirectory;
    private readonly Action<IServiceCollection>? _services;
    private readonly string _environment;

    protected AppFactory(
        string connectionStringName,
        IDictionary<string, string?> defaults,
        IDictionary<string, string?>? settings,
        string? databaseDirectory = null,
        FakeTimeProvider? time = null,
        string environment = "Development",
        Action<IServiceCollection>? services = null,
        int port = 0)
    {
        _ownDirectory = databaseDirectory is null ? new TempDirectory() : null;
        DatabaseDirectory = databaseDirectory ?? _ownDirectory!.Path;
        Time = time;
        _environment = environment;
        _services = services;

        _settings[$"ConnectionStrings:{connectionStringName}"] =
            $"Data Source={Path.Combine(DatabaseDirectory, connectionStringName.ToLowerInvariant() + ".db")}";
        foreach (var (key, value) in defaults.Concat(settings ?? new Dictionary<string, string?>()))
        {
            _settings[key] = value;
        }

        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
    }

    public string DatabaseDirectory { get; }

    public FakeTimeProvider? Time { get; }

    /// <summary>Where the app listens (it is started if it was not yet).</summary>
    public Uri Address
    {
        get
        {
            StartServer();
            return new Uri(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        }
    }

    /// <summary>A free port on 127.0.0.1, for a server that must come back on the same address.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
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
        if (disposing)
        {
            _ownDirectory?.Dispose();
        }
    }
}
