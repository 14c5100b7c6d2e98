using AuthRefresh.Testing;
using Microsoft.Playwright;

namespace EndToEnd.Tests;

/// <summary>
/// The three services on real Kestrel ports on 127.0.0.1, each with its own SQLite file and
/// real HTTP between them, and Debian's Chromium driven by Playwright (no browser download).
/// </summary>
public abstract class Site : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly Dictionary<string, string?> _authServerSettings;
    private readonly Dictionary<string, string?> _sampleClientSettings;
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
        AuthServer = new AuthServerFactory(_authServerSettings);
        Api = new ResourceApiFactory(AuthServer.Address);
        Client = new SampleClientFactory(AuthServer.Address, Api.Address, _sampleClientSettings);
        _ = Client.Address;

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // This machine's network is closed: Chromium must not try to reach Google's services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        Client.Dispose();
        Api.Dispose();
        AuthServer.Dispose();
    }
}

/// <summary>Default settings: 5-minute access tokens, demonstration mode on.</summary>
public sealed class StandardSite : Site;

/// <summary>3-second access tokens, so that a test can wait for one to expire.</summary>
public sealed class ShortTokenSite() : Site(
    new() { ["Tokens:AccessTokenLifetime"] = "00:00:03" },
    new() { ["SampleClient:RefreshMargin"] = "00:00:00" });
