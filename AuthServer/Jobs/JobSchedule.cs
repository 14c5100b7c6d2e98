using AuthRefresh.Shared;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace AuthServer.Jobs;

/// <summary>
/// Puts the jobs' triggers in the scheduler's store at start, as a reconciliation rather than a
/// reset: a trigger the store already has on the same interval is left as it is, so that a node
/// that joins a cluster (or restarts) neither moves the cluster's next run nor adds a second
/// trigger beside it. A changed interval replaces the trigger, and a disabled job loses it. On
/// PostgreSQL, nodes starting together take turns on an advisory lock, so one of them makes the
/// schedule and the others find it.
/// </summary>
internal sealed partial class JobSchedule(
    IServiceProvider services,
    string schedulerName,
    IReadOnlyList<JobTiming> timings,
    ILogger<JobSchedule> logger) : IHostedService
{
    // Note: any 64-bit number no other program on the database uses ("AR sched" in ASCII).
    private const long ScheduleLock = 0x4152207363686564;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = services.GetRequiredKeyedService<IScheduler>(schedulerName);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        await using var turn = db.Database.IsNpgsql() ? await db.Database.BeginLockedTransactionAsync(ScheduleLock, cancellationToken) : null;
        foreach (var timing in timings)
        {
            await ReconcileAsync(scheduler, timing, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ReconcileAsync(IScheduler scheduler, JobTiming timing, CancellationToken cancellationToken)
    {
        var key = new TriggerKey(timing.Job.Name, timing.Job.Group);
        var existing = await scheduler.GetTrigger(key, cancellationToken);
        if (!timing.Enabled)
        {
            if (existing is not null)
            {
                await scheduler.UnscheduleJob(key, cancellationToken);
                LogChanged(logger, timing.Job.Name, "removed");
            }

            return;
        }

        if (existing is ISimpleTrigger simple && simple.RepeatInterval == timing.Interval && simple.NextFireTimeUtc is not null)
        {
            return;
        }

        var trigger = TriggerBuilder.Create()
            .WithIdentity(key)
            .ForJob(timing.Job)
            // Note: Quartz fires on the machine's clock, never on the app's TimeProvider (which tests
            // move), so the first run is counted from the machine's clock too.
            .StartAt(DateTimeOffset.UtcNow + timing.FirstRunAfter)
            .WithSimpleSchedule(schedule => schedule.WithInterval(timing.Interval).RepeatForever())
            .Build();
        await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
        LogChanged(logger, timing.Job.Name, $"every {timing.Interval}");
    }

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Job schedule of {Job}: {Schedule}.")]
    private static partial void LogChanged(ILogger logger, string job, string schedule);
}
