using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace AuthRefresh.Bench.Servers;

/// <summary>
/// AuthServer and ResourceApi as a deployment runs them (the Benchmark environment is Production's
/// settings, but plain HTTP on 127.0.0.1), each with a fresh SQLite file in <see cref="Folder"/>.
/// </summary>
public sealed class BenchServers : IAsyncDisposable
{
    public const string Environment = AuthRefresh.Shared.HostingEnvironments.Benchmark;

    private BenchServers(string folder, ServerProcess authServer, ServerProcess resourceApi)
    {
        Folder = folder;
        AuthServer = authServer;
        ResourceApi = resourceApi;
    }

    public string Folder { get; }

    public ServerProcess AuthServer { get; }

    public ServerProcess ResourceApi { get; }

    public string AuthServerDatabase => DatabasePath(Folder);

    public string ResourceApiDatabase => Path.Combine(Folder, ResourceApiFile);

    private const string ResourceApiFile = "resourceapi.db";

    public static string DatabasePath(string folder) => Path.Combine(folder, "authserver.db");

    /// <summary>Starts both in <paramref name="folder"/>; an existing database there is reused.</summary>
    public static async Task<BenchServers> StartAsync(string repositoryRoot, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var authPort = FreePort();
        var issuer = $"http://127.0.0.1:{authPort.ToString(CultureInfo.InvariantCulture)}/";
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = Environment,
            ["Logging:Console:FormatterName"] = "simple",
        };

        var authServer = await ServerProcess.StartAsync(repositoryRoot, "AuthServer", authPort, new Dictionary<string, string>(common)
        {
            ["ConnectionStrings:AuthServer"] = $"Data Source={DatabasePath(folder)}",
            ["Server:Issuer"] = issuer,
            // Note: the load comes from one address; the per-address limit would be what is measured.
            ["RateLimiting:Enabled"] = "false",
            ["Clients:sample-client:Secret"] = Secret(),
            ["Clients:resource-api:Secret"] = Secret(),
        }, folder, cancellationToken);

        try
        {
            var resourceApi = await ServerProcess.StartAsync(repositoryRoot, "ResourceApi", FreePort(), new Dictionary<string, string>(common)
            {
                ["ConnectionStrings:ResourceApi"] = $"Data Source={Path.Combine(folder, ResourceApiFile)}",
                ["AuthServer:Issuer"] = issuer,
            }, folder, cancellationToken);
            return new BenchServers(folder, authServer, resourceApi);
        }
        catch
        {
            await authServer.DisposeAsync();
            throw;
        }
    }

    /// <summary>The processes a run's CPU is accounted to: both servers, and this one (the load generator).</summary>
    public IReadOnlyDictionary<string, int> Processes() => new Dictionary<string, int>
    {
        [AuthServer.Name] = AuthServer.ProcessId,
        [ResourceApi.Name] = ResourceApi.ProcessId,
        [LoadGeneratorName] = System.Environment.ProcessId,
    };

    public const string LoadGeneratorName = "load generator";

    public async ValueTask DisposeAsync()
    {
        await ResourceApi.DisposeAsync();
        await AuthServer.DisposeAsync();
    }

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
