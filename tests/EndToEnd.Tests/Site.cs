using AuthRefresh.Testing;
using Microsoft.Playwright;

namespace EndToEnd.Tests;

/// <summary>
/// The three services on real Kestrel ports on 127.0.0.1, each with its own SQLite file and
/// real HTTP between them, and Debian's Chromium driven by Playwright (no browser download).
/// Ports and files are the site's for its whole life, so that the apps can be restarted.
/// </summary>
public abstract class Site : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly Dictionary<string, string?> _authServerSettings;
    private readonly Dictionary<string, string?> _sampleClientSettings;
    private readonly TempDirectory _authServerData = new();
    private readonly TempDirectory _apiData = new();
    private readonly TempDirectory _clientData = new();
    private readonly int _authServerPort = AuthServerFactory.FreePort();
    private readonly int _apiPort = AuthServerFactory.FreePort();
    private readonly int _clientPort = AuthServerFactory.FreePort();
    private IPlaywright? _playwright;

    protected Site(Dictionary<string, string?>? authServerSettings = null, Dictionary<string, string?>? sampleClientSettings = null)
    {
        _authServerSettings = authServerSettings ?? [];
        _sampleClientSettings = sampleClientSettings ?? [];
    }

    public AuthServerFactory AuthServer { get; private set; } = null!;

    public ResourceApiFactory Api { get; private set; } = null!;

    public SampleClientFactory Client { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri Address => Client.Address;

    public async Task InitializeAsync()
    {
        StartApps();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // This machine's network is closed: Chromium must not try to reach Google's services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Stops all three apps and starts them again on the same ports and database files.</summary>
    public void RestartApps()
    {
        StopApps();
        StartApps();
    }

    /// <summary>Stops ResourceApi alone (its port then refuses connections).</summary>
    public void StopApi()
    {
        Api.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Starts ResourceApi again on its port and database file.</summary>
    public void StartApi()
    {
        Api = new ResourceApiFactory(AuthServer.Address, databaseDirectory: _apiData.Path, port: _apiPort);
        _ = Api.Address;
    }

    private void StartApps()
    {
        AuthServer = new AuthServerFactory(_authServerSettings, _authServerData.Path, port: _authServerPort);
        Api = new ResourceApiFactory(AuthServer.Address, databaseDirectory: _apiData.Path, port: _apiPort);
        Client = new SampleClientFactory(AuthServer.Address, Api.Address, _sampleClientSettings, _clientData.Path, _clientPort);
        _ = Client.Address;
    }

    private void StopApps()
    {
        Client.Dispose();
        Api.Dispose();
        AuthServer.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        StopApps();
        _clientData.Dispose();
        _apiData.Dispose();
        _authServerData.Dispose();
    }
}
