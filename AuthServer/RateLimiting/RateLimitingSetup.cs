using System.Threading.RateLimiting;
using AuthServer.Accounts;
using AuthServer.Endpoints;
using AuthServer.Telemetry;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.RateLimiting;

/// <summary>
/// A fixed-window limit on the token endpoint, partitioned by client address (the per-client and
/// per-username limits are <see cref="TokenRequestLimits"/>, applied once the request is parsed).
/// A refused request gets 429, a <c>Retry-After</c> header and an OAuth-style JSON error.
/// </summary>
internal static class RateLimitingSetup
{
    public static void AddTokenRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<TokenRequestLimits>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitSettings>>().CurrentValue;
                if (!settings.Enabled || !context.Request.Path.Equals(TokenEndpoint.Path, StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.PermitLimit,
                        Window = settings.Window,
                        QueueLimit = 0,
                    });
            });
            options.OnRejected = OnRejectedAsync;
        });
    }

    /// <summary>
    /// While every password verification is taken and its queue is full, answers a password
    /// grant 429 before OpenIddict parses and validates it: a burst's surplus then costs the
    /// server almost nothing. The token endpoint checks again when the request gets there.
    /// </summary>
    public static void UsePasswordShedding(this WebApplication app)
    {
        var gate = app.Services.GetRequiredService<PasswordHashingGate>();
        var metrics = app.Services.GetRequiredService<AuthServerMetrics>();
        app.Use(async (context, next) =>
        {
            if (gate.IsFull &&
                HttpMethods.IsPost(context.Request.Method) &&
                context.Request.Path.Equals(TokenEndpoint.Path, StringComparison.OrdinalIgnoreCase) &&
                context.Request.HasFormContentType &&
                (await context.Request.ReadFormAsync(context.RequestAborted))[Parameters.GrantType] == GrantTypes.Password)
            {
                metrics.LoginFailed(LoginFailure.RateLimited);
                await TemporarilyUnavailable.WriteAsync(context, StatusCodes.Status429TooManyRequests, TimeSpan.FromSeconds(1), PasswordsBusy, context.RequestAborted);
                return;
            }

            await next(context);
        });
    }

    public const string PasswordsBusy = "The server is busy verifying passwords";

    private static ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var window = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitSettings>>().CurrentValue.Window;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
        return new(TemporarilyUnavailable.WriteAsync(
            context.HttpContext, StatusCodes.Status429TooManyRequests, retryAfter, "Too many requests from this address", cancellationToken));
    }
}
