using Quartz;

namespace AuthServer.Jobs;

/// <summary>
/// The Quartz job around <see cref="TokenPruner"/>. Never two runs at once: a run that lasts
/// longer than the interval delays the next one instead of overlapping it.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PruneJob(TokenPruner pruner) : IJob
{
    public static readonly JobKey Key = new("prune-tokens", "authrefresh");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        => await pruner.PruneAsync(cancellationToken);
}
