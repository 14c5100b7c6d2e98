using AuthRefresh.Testing;
using AuthServer.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace AuthServer.Tests;

/// <summary>
/// The clustered schedule on PostgreSQL, node after node on one database: a node that starts
/// keeps the stored trigger, a changed interval replaces it, a disabled job loses it.
/// </summary>
public sealed class JobScheduleTests
{
    private static readonly TriggerKey Pruning = new(PruneJob.Key.Name, PruneJob.Key.Group);

    [PostgreSqlFact]
    public async Task A_starting_node_keeps_the_clusters_schedule_and_a_changed_one_replaces_it()
    {
        var database = await TestDatabase.SettingsAsync(TestDatabase.PostgreSql, "AuthServer");

        var first = await TriggerAfterStartAsync(database, ("Pruning:Enabled", "true"), ("Pruning:Interval", "01:00:00"));
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // a rescheduled trigger would start one interval after now
        var second = await TriggerAfterStartAsync(database, ("Pruning:Enabled", "true"), ("Pruning:Interval", "01:00:00"));
        var changed = await TriggerAfterStartAsync(database, ("Pruning:Enabled", "true"), ("Pruning:Interval", "02:00:00"));
        var disabled = await TriggerAfterStartAsync(database, ("Pruning:Enabled", "false"));

        Assert.Equal(TimeSpan.FromHours(1), first!.RepeatInterval);
        Assert.Equal(first.NextFireTimeUtc, second!.NextFireTimeUtc);
        Assert.Equal(TimeSpan.FromHours(2), changed!.RepeatInterval);
        Assert.True(changed.NextFireTimeUtc > first.NextFireTimeUtc);
        Assert.Null(disabled);
    }

    /// <summary>Starts a node with <paramref name="settings"/> on the database, reads the pruning trigger, stops the node.</summary>
    private static async Task<ISimpleTrigger?> TriggerAfterStartAsync(Dictionary<string, string?> database, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>(database);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        using var node = new AuthServerFactory(all);
        _ = node.Address; // started
        var scheduler = node.Services.GetRequiredKeyedService<IScheduler>(JobsSetup.ClusteredSchedulerName);
        return await scheduler.GetTrigger(Pruning, CancellationToken.None) as ISimpleTrigger;
    }
}
