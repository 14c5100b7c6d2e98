using System.Diagnostics;
using System.Globalization;
using AuthRefresh.Bench.Load;

namespace AuthRefresh.Bench.Servers;

/// <summary>
/// The peer the refresh scenario is compared with: node-oidc-provider (<c>bench/peer</c>, installed
/// from npm on first use, nothing of it in the solution) with the same public client, grants and
/// token formats — RS256 JWT access tokens, rotating refresh tokens, an in-memory store.
/// </summary>
public sealed class PeerServer : IAsyncDisposable
{
    public const string Name = "peer (node-oidc-provider)";

    private readonly Process _process;
    private readonly StreamWriter _log;

    private PeerServer(Process process, StreamWriter log, Uri address)
    {
        _process = process;
        _log = log;
        Address = address;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>Installs the peer if needed (npm ci) and starts it with <paramref name="users"/>.</summary>
    public static async Task<PeerServer> StartAsync(string repositoryRoot, BenchUsers users, string logFolder, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(repositoryRoot, "bench", "peer");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
        {
            Console.WriteLine("Installing the peer (npm ci in bench/peer)...");
            await RunAsync(folder, "npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], cancellationToken);
        }

        var port = BenchServers.FreePort();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server.mjs");
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["BENCH_USER_PREFIX"] = users.Prefix;
        start.Environment["BENCH_USER_COUNT"] = users.Count.ToString(CultureInfo.InvariantCulture);
        start.Environment["BENCH_PASSWORD"] = users.Password;
        start.Environment["NODE_ENV"] = "production";

        var log = new StreamWriter(Path.Combine(logFolder, "peer.log"), append: true) { AutoFlush = true };
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, e) =>
        {
            ServerProcess.Write(log, e.Data);
            if (e.Data?.StartsWith("peer listening", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => ServerProcess.Write(log, e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The peer exited at start; see peer.log."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var peer = new PeerServer(process, log, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }

        return peer;
    }

    public ValueTask DisposeAsync() => ServerProcess.StopAsync(_process, _log);

    private static async Task RunAsync(string folder, string command, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = folder, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} in {folder} exited with {process.ExitCode}.");
        }
    }
}
