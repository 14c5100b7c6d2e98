using AuthServer.Keys;
using AuthServer.Options;
using Quartz;

namespace AuthServer.Jobs;

/// <summary>The Quartz jobs: pruning dead tokens and rotating keys.</summary>
internal static class JobsSetup
{
    /// <summary>
    /// Schedules the jobs: pruning first one interval after start, then every interval; the key
    /// rotation at start, then every <see cref="KeysSettings.RotationCheckInterval"/>.
    /// </summary>
    public static void AddJobs(this IHostApplicationBuilder builder)
    {
        var pruning = builder.Configuration.GetSection(PruningSettings.SectionName).Get<PruningSettings>() ?? new();
        var keys = builder.Configuration.GetSection(KeysSettings.SectionName).Get<KeysSettings>() ?? new();
        builder.Services.AddScoped<TokenPruner>();
        // Note: the scheduler's name is unique per host: tests start several servers in one
        // process, and each must have its own scheduler.
        var scheduler = $"authserver-{Guid.NewGuid():N}";
        builder.Services.AddQuartz(scheduler, quartz =>
        {
            quartz.AddJob<PruneJob>(job => job.WithIdentity(PruneJob.Key).StoreDurably().DisallowConcurrentExecution());
            if (pruning.Enabled)
            {
                quartz.AddTrigger<PruneJob>(trigger => trigger
                    .ForJob(PruneJob.Key)
                    .StartAt(DateTimeOffset.UtcNow + pruning.Interval)
                    .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(pruning.Interval).RepeatForever()));
            }

            quartz.AddJob<KeyRotationJob>(job => job.WithIdentity(KeyRotationJob.Key).StoreDurably().DisallowConcurrentExecution());
            if (keys.AutomaticRotation)
            {
                quartz.AddTrigger<KeyRotationJob>(trigger => trigger
                    .ForJob(KeyRotationJob.Key)
                    .StartNow()
                    .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(keys.RotationCheckInterval).RepeatForever()));
            }
        });
        builder.Services.AddQuartzHostedService(scheduler, options => options.WaitForJobsToComplete = true);
    }
}
