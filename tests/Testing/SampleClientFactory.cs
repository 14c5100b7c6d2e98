extern alias SampleClientHost;

using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AuthRefresh.Testing;

/// <summary>
/// A real SampleClient on a real Kestrel port on 127.0.0.1, with its own SQLite file, signing users
/// in at the AuthServer at <c>issuer</c> and reading notes from the ResourceApi at <c>api</c>.
/// </summary>
public sealed class SampleClientFactory : WebApplicationFactory<SampleClientHost::Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TempDirectory _directory = new();

    public SampleClientFactory(Uri issuer, Uri api, IDictionary<string, string?>? settings = null)
    {
        _settings = new(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:SampleClient"] = $"Data Source={Path.Combine(_directory.Path, "sampleclient.db")}",
            ["SampleClient:Issuer"] = issuer.ToString(),
            ["SampleClient:ResourceApi"] = api.ToString(),
        };

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Where the site listens (it is started if it was not yet).</summary>
    public Uri Address => KestrelAddress.Of(this);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
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
