using AuthRefresh.Bench.Data;
using AuthRefresh.Bench.Load;
using AuthRefresh.Bench.Report;
using AuthRefresh.Bench.Servers;
using AuthRefresh.Bench.Suite;
using AuthRefresh.Testing;

namespace Bench.Tests;

/// <summary>
/// The <c>refresh-cluster</c> command's setting, two seconds of it: two AuthServer processes on one
/// PostgreSQL database, the refresh scenario's requests alternating between them.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class ClusterSmokeTests
{
    [PostgreSqlFact]
    public async Task Refresh_alternating_between_two_nodes_runs_without_an_error_on_both()
    {
        var postgreSql = await (await PostgreSqlServer.GetAsync()).CreateDatabaseAsync("benchcluster");
        using var folder = new TempDirectory();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var servers = await BenchServers.StartAsync(RepositoryPaths.Root, folder.Path, timeout.Token, postgreSql, nodes: 2);
        var users = new BenchUsers("smoke-", 4, BenchSuite.Password);
        await BenchData.SeedUsersAsync(postgreSql, users, timeout.Token);
        using var target = new BenchTarget(servers.AuthServer.Address, servers.ResourceApi.Address, users, otherNodes: [servers.AuthServers[1].Address]);

        var result = await LoadGenerator.RunAsync(
            Scenarios.Create(Scenarios.Refresh, target),
            new LoadSettings(4, TimeSpan.FromSeconds(2), TimeSpan.Zero) { CpuOf = servers.Processes() },
            timeout.Token);

        Assert.True(result.Requests > 0, "no request completed");
        Assert.True(result.ErrorCount == 0, $"{result.ToJson()} {string.Join("; ", result.FailureSamples)}");
        // Note: both nodes did their share of the work, not one of them all of it (a node that
        // serves nothing still uses some CPU of its own: its start's tail, its timers).
        var perNode = new[] { "AuthServer-1", "AuthServer-2" }.Select(node => result.Cpu.Single(cpu => cpu.Process == node).TotalUs).ToArray();
        Assert.True(perNode.Min() > perNode.Max() / 3, BenchReport.CpuText(result));
    }
}
