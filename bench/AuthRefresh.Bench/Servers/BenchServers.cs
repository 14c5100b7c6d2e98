using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using static System.FormattableString;

namespace AuthRefresh.Bench.Servers;

/// <summary>
/// AuthServer and ResourceApi as a deployment runs them (the Benchmark environment is Production's
/// settings, but plain HTTP on 127.0.0.1), each with a fresh SQLite file in <see cref="Folder"/>;
/// or AuthServer as one or more nodes on one PostgreSQL database.
/// </summary>
public sealed class BenchServers : IAsyncDisposable
{
    public const string Environment = AuthRefresh.Shared.HostingEnvironments.Benchmark;

    private BenchServers(string folder, IReadOnlyList<ServerProcess> authServers, ServerProcess resourceApi)
    {
        Folder = folder;
        AuthServers = authServers;
        ResourceApi = resourceApi;
    }

    public string Folder { get; }

    /// <summary>The first AuthServer node: the issuer, the one ResourceApi reads keys from.</summary>
    public ServerProcess AuthServer => AuthServers[0];

    /// <summary>Every AuthServer node; one unless they share a PostgreSQL database.</summary>
    public IReadOnlyList<ServerProcess> AuthServers { get; }

    public ServerProcess ResourceApi { get; }

    public string AuthServerDatabase => DatabasePath(Folder);

    public string ResourceApiDatabase => Path.Combine(Folder, ResourceApiFile);

    private const string ResourceApiFile = "resourceapi.db";

    public static string DatabasePath(string folder) => Path.Combine(folder, "authserver.db");

    /// <summary>
    /// Starts both in <paramref name="folder"/>; an existing database there is reused. With
    /// <paramref name="postgreSql"/>, AuthServer runs as <paramref name="nodes"/> processes on that
    /// database instead of a SQLite file (ResourceApi keeps its own). With <paramref name="telemetry"/>,
    /// both export their traces, metrics and logs to that collector over OTLP.
    /// </summary>
    public static async Task<BenchServers> StartAsync(
        string repositoryRoot, string folder, CancellationToken cancellationToken, string? postgreSql = null, int nodes = 1,
        OtlpCollector? telemetry = null)
    {
        Directory.CreateDirectory(folder);
        var ports = Enumerable.Range(0, nodes).Select(_ => FreePort()).ToArray();
        var issuer = $"http://127.0.0.1:{ports[0].ToString(CultureInfo.InvariantCulture)}/";
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = Environment,
            ["Logging:Console:FormatterName"] = "simple",
        };
        var authServer = new Dictionary<string, string>(common)
        {
            ["ConnectionStrings:AuthServer"] = postgreSql ?? $"Data Source={DatabasePath(folder)}",
            ["Server:Issuer"] = issuer,
            // Note: the load comes from one address; the per-address limit would be what is measured.
            ["RateLimiting:Enabled"] = "false",
            ["Clients:sample-client:Secret"] = Secret(),
            ["Clients:resource-api:Secret"] = Secret(),
        };
        if (postgreSql is not null)
        {
            authServer["Database:Provider"] = "PostgreSql";
        }

        var resourceApiSettings = new Dictionary<string, string>(common);
        foreach (var (app, settings) in new[] { ("AuthServer", authServer), ("ResourceApi", resourceApiSettings) })
        {
            foreach (var (key, value) in telemetry?.ExporterSettings(app, quickly: false) ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }
        }

        // Note: the nodes start together, as a deployment's do; they take turns on the schema.
        var starting = ports.Select((port, node) => ServerProcess.StartAsync(
            repositoryRoot, "AuthServer", port, authServer, folder, cancellationToken, nodes == 1 ? null : Invariant($"AuthServer-{node + 1}"))).ToList();
        try
        {
            await Task.WhenAll(starting);
            resourceApiSettings["ConnectionStrings:ResourceApi"] = $"Data Source={Path.Combine(folder, ResourceApiFile)}";
            resourceApiSettings["AuthServer:Issuer"] = issuer;
            var resourceApi = await ServerProcess.StartAsync(repositoryRoot, "ResourceApi", FreePort(), resourceApiSettings, folder, cancellationToken);
            return new BenchServers(folder, [.. starting.Select(node => node.Result)], resourceApi);
        }
        catch
        {
            foreach (var node in starting.Where(node => node.IsCompletedSuccessfully))
            {
                await node.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The processes a run's CPU is accounted to: every AuthServer node, ResourceApi, and this one (the load generator).</summary>
    public IReadOnlyDictionary<string, int> Processes()
    {
        var processes = AuthServers.ToDictionary(node => node.Name, node => node.ProcessId);
        processes[ResourceApi.Name] = ResourceApi.ProcessId;
        processes[LoadGeneratorName] = System.Environment.ProcessId;
        return processes;
    }

    public const string LoadGeneratorName = "load generator";

    public async ValueTask DisposeAsync()
    {
        await ResourceApi.DisposeAsync();
        foreach (var node in AuthServers)
        {
            await node.DisposeAsync();
        }
    }

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
