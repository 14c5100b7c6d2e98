using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace AuthRefresh.Shared;

/// <summary>What every AuthRefresh app registers first, as .NET Aspire's ServiceDefaults do.</summary>
public static class ServiceDefaults
{
    /// <summary>
    /// The clock (a test may put its own in first), problem details for errors, OpenTelemetry
    /// (when an exporter is configured), the app's database on the connection string
    /// <paramref name="connectionStringName"/> with its readiness check (see
    /// <see cref="Database.AddDatabase"/>). An app that signs cookies adds its Data Protection key
    /// ring in that database with <see cref="KeyRing.AddDatabaseKeyRing"/>.
    /// </summary>
    public static DatabaseProvider AddAuthRefreshDefaults<TContext, TPostgreSqlContext>(
        this IHostApplicationBuilder builder,
        string connectionStringName,
        Action<DbContextOptionsBuilder>? configureDatabase = null)
        where TContext : DbContext
        where TPostgreSqlContext : TContext
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.AddTelemetry();
        return builder.AddDatabase<TContext, TPostgreSqlContext>(connectionStringName, configureDatabase);
    }
}
