using AuthRefresh.Shared;
using AuthServer.Data;
using AuthServer.Keys;
using Quartz;

namespace AuthServer.Jobs;

/// <summary>The Quartz jobs: pruning dead tokens and rotating keys.</summary>
internal static class JobsSetup
{
    /// <summary>The scheduler every node of a cluster names: its rows in the Quartz tables are under it.</summary>
    public const string ClusteredSchedulerName = "AuthServer";

    /// <summary>
    /// Schedules the jobs: pruning first one interval after the schedule is made, then every
    /// interval; the key rotation at once, then every <see cref="KeysSettings.RotationCheckInterval"/>
    /// (<see cref="JobSchedule"/>). On SQLite the schedule lives in memory; on PostgreSQL it is
    /// Quartz's clustered ADO.NET store in the app's database, so each job runs on one node at a
    /// time and once per interval for the whole cluster.
    /// </summary>
    public static void AddJobs(this IHostApplicationBuilder builder)
    {
        var pruning = builder.Configuration.GetSection(PruningSettings.SectionName).Get<PruningSettings>() ?? new();
        var keys = builder.Configuration.GetSection(KeysSettings.SectionName).Get<KeysSettings>() ?? new();
        var clustered = builder.GetDatabaseProvider() == DatabaseProvider.PostgreSql;
        var connectionString = clustered ? builder.GetPostgreSqlConnectionString(ApplicationDbContext.ConnectionStringName) : null;
        builder.Services.AddScoped<TokenPruner>();

        // Note: an in-memory scheduler's name is unique per host (tests start several servers in
        // one process, each with its own schedule); the nodes of a cluster share theirs.
        var scheduler = clustered ? ClusteredSchedulerName : $"authserver-{Guid.NewGuid():N}";
        builder.Services.AddQuartz(scheduler, quartz =>
        {
            if (connectionString is not null)
            {
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(connectionString);
                    store.UseSystemTextJsonSerializer();
                    // Note: a node that missed its check-in by 20 s is taken for dead, and the
                    // others take over its triggers.
                    store.UseClustering(clustering =>
                    {
                        clustering.CheckinInterval = TimeSpan.FromSeconds(10);
                        clustering.CheckinMisfireThreshold = TimeSpan.FromSeconds(20);
                    });
                    // Note: Quartz creates its own tables (qrtz_*) when they are missing; nodes
                    // that start together retry until the schema is whole.
                    store.ProvisionSchema();
                });
            }

            quartz.AddJob<PruneJob>(job => job.WithIdentity(PruneJob.Key).StoreDurably().DisallowConcurrentExecution());
            quartz.AddJob<KeyRotationJob>(job => job.WithIdentity(KeyRotationJob.Key).StoreDurably().DisallowConcurrentExecution());
        });
        // Note: stopping does not wait for a running job. On PostgreSQL, a job whose database is
        // gone retries its completion until Quartz's job store shuts down, which comes after that
        // wait: the server never stopped. The jobs write in transactions, so one cut short by the
        // end of the process leaves nothing half done.
        builder.Services.AddQuartzHostedService(scheduler, options => options.WaitForJobsToComplete = false);

        // Note: after Quartz's own hosted service, which stores the jobs the triggers name.
        JobTiming[] timings =
        [
            new(PruneJob.Key, pruning.Enabled, pruning.Interval, FirstRunAfter: pruning.Interval),
            new(KeyRotationJob.Key, keys.AutomaticRotation, keys.RotationCheckInterval, FirstRunAfter: TimeSpan.Zero),
        ];
        builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<JobSchedule>(services, scheduler, timings));
    }
}
