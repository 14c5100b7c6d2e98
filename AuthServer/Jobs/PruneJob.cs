using Quartz;

namespace AuthServer.Jobs;

/// <summary>
/// The Quartz job around <see cref="TokenPruner"/>. Never two runs at once: a run that lasts
/// longer than the interval delays the next one instead of overlapping it (across a cluster too:
/// the clustered store keeps the rule for every node).
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class PruneJob(TokenPruner pruner, ILogger<PruneJob> logger) : IJob
{
    public static readonly JobKey Key = new("prune-tokens", "authrefresh");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        LogRun(logger, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, context.Scheduler.SchedulerInstanceId);
        await pruner.PruneAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "Pruning run scheduled for {ScheduledFireTime:o}, on scheduler instance {InstanceId}.")]
    private static partial void LogRun(ILogger logger, DateTimeOffset scheduledFireTime, string instanceId);
}
