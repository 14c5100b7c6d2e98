extern alias ResourceApiHost;

using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthRefresh.Testing;

/// <summary>
/// A real ResourceApi on a real Kestrel port on 127.0.0.1, with its own SQLite file, trusting the
/// AuthServer at <c>issuer</c> over real HTTP.
/// </summary>
public sealed class ResourceApiFactory : WebApplicationFactory<ResourceApiHost::Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TempDirectory _directory = new();

    public ResourceApiFactory(Uri issuer, IDictionary<string, string?>? settings = null, FakeTimeProvider? time = null)
    {
        Time = time;
        _settings = new(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:ResourceApi"] = $"Data Source={Path.Combine(_directory.Path, "resourceapi.db")}",
            ["AuthServer:Issuer"] = issuer.ToString(),
            ["DemoData:Enabled"] = "false",
        };

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    public FakeTimeProvider? Time { get; }

    /// <summary>Where the API listens (it is started if it was not yet).</summary>
    public Uri Address => KestrelAddress.Of(this);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (Time is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _directory.Dispose();
        }
    }
}
