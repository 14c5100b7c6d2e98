using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AuthRefresh.Shared;

/// <summary>
/// OpenTelemetry for the three apps: traces, metrics and logs, exported over OTLP to whatever
/// collector the standard variables name (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_SERVICE_NAME</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c>,
/// …). With no endpoint, nothing is registered: the apps' meters still count (for
/// <c>dotnet-counters</c>), but no span is recorded and nothing is sent.
/// </summary>
public static class Telemetry
{
    /// <summary>The meters of the apps themselves; every one is named <c>AuthRefresh.&lt;app&gt;</c>.</summary>
    public const string AppMeters = "AuthRefresh.*";

    private static readonly string[] EndpointVariables =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
        "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
    ];

    // Note: the meters ASP.NET Core publishes beside those the instrumentation package enables
    // (hosting, Kestrel, routing, diagnostics, rate limiting) and HttpClient's, and the runtime's own.
    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Identity",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "System.Runtime",
    ];

    /// <summary>Whether the configuration (environment variables included) names an OTLP endpoint.</summary>
    public static bool IsExportConfigured(IConfiguration configuration)
        => EndpointVariables.Any(name => !string.IsNullOrWhiteSpace(configuration[name]));

    public static void AddTelemetry(this IHostApplicationBuilder builder)
    {
        if (!IsExportConfigured(builder.Configuration))
        {
            return;
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : builder.Environment.ApplicationName;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHealthProbe(context))
                .AddHttpClientInstrumentation()
                // Note: the database commands: EF Core's on SQLite (DatabaseCommandSpans), every
                // one on PostgreSQL (Npgsql's own). Neither records parameter values.
                .AddSource(DatabaseCommandSpans.SourceName)
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(FrameworkMeters)
                .AddMeter(AppMeters))
            .WithLogging()
            .UseOtlpExporter();
    }

    private static bool IsHealthProbe(HttpContext context) => context.Request.Path.StartsWithSegments("/health");
}
