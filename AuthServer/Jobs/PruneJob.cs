using AuthServer.Options;
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

internal static class PruneJobSetup
{
    /// <summary>Schedules the job: first run one interval after start, then every interval.</summary>
    public static void AddPruneJob(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(PruningSettings.SectionName).Get<PruningSettings>() ?? new();
        builder.Services.AddScoped<TokenPruner>();
        // Note: the scheduler's name is unique per host: tests start several servers in one
        // process, and each must have its own scheduler.
        var scheduler = $"authserver-{Guid.NewGuid():N}";
        builder.Services.AddQuartz(scheduler, quartz =>
        {
            quartz.AddJob<PruneJob>(job => job.WithIdentity(PruneJob.Key).StoreDurably().DisallowConcurrentExecution());
            if (settings.Enabled)
            {
                quartz.AddTrigger<PruneJob>(trigger => trigger
                    .ForJob(PruneJob.Key)
                    .StartAt(DateTimeOffset.UtcNow + settings.Interval)
                    .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(settings.Interval).RepeatForever()));
            }
        });
        builder.Services.AddQuartzHostedService(scheduler, options => options.WaitForJobsToComplete = true);
    }
}
