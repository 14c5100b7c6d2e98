using System.Globalization;
using AuthRefresh.Bench.Servers;
using AuthRefresh.Testing;
using Microsoft.Playwright;

namespace EndToEnd.Tests;

/// <summary>
/// The three apps as processes of their own (one OpenTelemetry SDK each, as deployed), exporting
/// OTLP to one collector, and Chromium signing in: a data request of SampleClient is one trace
/// through its refresh at AuthServer and its notes call at ResourceApi.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class TracingTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private readonly List<ServerProcess> _apps = [];
    private OtlpCollector _collector = null!;
    private Uri _client = null!;

    public async Task InitializeAsync()
    {
        _collector = await OtlpCollector.StartAsync();
        int authServerPort = AuthServerFactory.FreePort(), apiPort = AuthServerFactory.FreePort(), clientPort = AuthServerFactory.FreePort();
        var issuer = Address(authServerPort).ToString();
        await StartAsync("AuthServer", authServerPort, new()
        {
            ["ConnectionStrings:AuthServer"] = $"Data Source={Path.Combine(_folder.Path, "authserver.db")}",
            ["Server:Issuer"] = issuer,
            ["RateLimiting:Enabled"] = "false",
            ["Pruning:Enabled"] = "false",
        });
        await StartAsync("ResourceApi", apiPort, new()
        {
            ["ConnectionStrings:ResourceApi"] = $"Data Source={Path.Combine(_folder.Path, "resourceapi.db")}",
            ["AuthServer:Issuer"] = issuer,
        });
        await StartAsync("SampleClient", clientPort, new()
        {
            ["ConnectionStrings:SampleClient"] = $"Data Source={Path.Combine(_folder.Path, "sampleclient.db")}",
            ["SampleClient:Issuer"] = issuer,
            ["SampleClient:ResourceApi"] = Address(apiPort).ToString(),
        });
        _client = Address(clientPort);
    }

    [Fact]
    public async Task A_data_request_is_one_trace_through_all_three_services()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Site.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _client.ToString() });
        await page.GotoAsync("/login");
        await Journey.SignInAsync(page);
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#greeting")).ToBeVisibleAsync();

        // The data request: the home page refreshes the tokens, then reads the notes.
        var response = await page.ReloadAsync();
        Assert.Equal(200, response!.Status);

        IReadOnlyList<CollectedSpan> trace = [];
        await Eventually.HoldsAsync(() =>
        {
            trace = _collector.Spans()
                .GroupBy(span => span.TraceId)
                .Where(spans => spans.Any(span => span.Service == "AuthServer" && span.Attributes.GetValueOrDefault("authrefresh.grant_type") == "refresh_token"))
                .Where(spans => spans.Any(span => span.Service == "ResourceApi"))
                // Note: the root (the page's own span) ends last, so it may come in a later export
                // than its children; the trace is whole once a span without a parent is in it.
                .Where(spans => spans.Any(span => span.ParentSpanId.Trim('0').Length == 0))
                .Select(spans => spans.ToList())
                .LastOrDefault() ?? [];
            return Task.FromResult(trace.Count > 0);
        }, TimeSpan.FromSeconds(20));

        var root = Assert.Single(trace, span => span.ParentSpanId.Trim('0').Length == 0);
        Assert.Equal("SampleClient", root.Service);
        Assert.Equal("/", root.Attributes.GetValueOrDefault("url.path"));
        var refresh = Assert.Single(trace, span => span.Service == "AuthServer" && span.Attributes.ContainsKey("authrefresh.grant_type"));
        Assert.Equal("success", refresh.Attributes["authrefresh.outcome"]);
        Assert.Equal("sample-client", refresh.Attributes["authrefresh.client_id"]);
        Assert.Contains(trace, span => span.Service == "ResourceApi" && span.Attributes.GetValueOrDefault("url.path") == "/api/notes");
        // The database commands of the refresh are spans of it, without parameter values.
        Assert.Contains(trace, span => span.Service == "AuthServer" && (span.Attributes.ContainsKey("db.system.name") || span.Attributes.ContainsKey("db.system")));

        // Every span but the root has its parent in the trace: the context crossed each hop.
        var ids = trace.Select(span => span.SpanId).ToHashSet();
        Assert.All(trace.Where(span => span != root), span => Assert.Contains(span.ParentSpanId, ids));
        Assert.False(_collector.AnyPayloadContains("Pass123$"), "the password was exported");
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await _collector.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static Uri Address(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

    private async Task StartAsync(string name, int port, Dictionary<string, string> settings)
    {
        settings["ASPNETCORE_ENVIRONMENT"] = "Development";
        settings["Urls"] = Address(port).ToString().TrimEnd('/');
        foreach (var (key, value) in _collector.ExporterSettings(name))
        {
            settings[key] = value;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        _apps.Add(await ServerProcess.StartAsync(RepositoryPaths.Root, name, port, settings, _folder.Path, timeout.Token));
    }
}
