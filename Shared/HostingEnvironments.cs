using Microsoft.Extensions.Hosting;

namespace AuthRefresh.Shared;

/// <summary>The environments AuthRefresh knows besides ASP.NET Core's own.</summary>
public static class HostingEnvironments
{
    /// <summary>
    /// Production's settings, but plain HTTP on 127.0.0.1: what the benchmark (<c>bench.sh</c>)
    /// starts the servers in, so that what is measured is what a deployment runs.
    /// </summary>
    public const string Benchmark = "Benchmark";

    /// <summary>
    /// Whether plain HTTP is allowed: in Development (and the tests, which run in it) and in the
    /// benchmark. Everywhere else OpenIddict requires HTTPS.
    /// </summary>
    public static bool AllowsPlainHttp(this IHostEnvironment environment)
        => environment.IsDevelopment() || environment.IsEnvironment(Benchmark);
}
