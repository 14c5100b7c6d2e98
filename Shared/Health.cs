using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;

namespace AuthRefresh.Shared;

/// <summary>
/// The health endpoints every app serves, for a load balancer or an orchestrator:
/// <c>/health/live</c> answers while the process runs; <c>/health/ready</c> (and <c>/health</c>)
/// only while its database answers too, so that a node cut off from it is taken out of rotation.
/// </summary>
public static class Health
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready");
        app.MapHealthChecks("/health");
    }
}
