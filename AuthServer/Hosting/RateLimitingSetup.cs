using System.Globalization;
using System.Threading.RateLimiting;
using AuthServer.Accounts;
using AuthServer.Endpoints;
using AuthServer.Options;
using AuthServer.Telemetry;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Hosting;

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

/// <summary>
/// The answer to a request the server will not serve now: 429 (a limit) or 503 (no capacity),
/// <c>Retry-After</c> in whole seconds, and an RFC 6749 §5.2-shaped <c>temporarily_unavailable</c>.
/// </summary>
internal sealed class TemporarilyUnavailable(int status, TimeSpan retryAfter, string reason) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, status, retryAfter, reason, httpContext.RequestAborted);

    public static Task WriteAsync(HttpContext context, int status, TimeSpan retryAfter, string reason, CancellationToken cancellationToken)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        return response.WriteAsJsonAsync(
            new Dictionary<string, string>
            {
                [Parameters.Error] = Errors.TemporarilyUnavailable,
                [Parameters.ErrorDescription] = $"{reason}; retry after {seconds.ToString(CultureInfo.InvariantCulture)} seconds.",
            },
            cancellationToken);
    }
}

/// <summary>
/// The token endpoint's limits per client and per username (<see cref="RateLimitSettings"/>),
/// which need the parsed request: fixed windows, no queue.
/// </summary>
internal sealed class TokenRequestLimits : IDisposable
{
    private readonly IOptionsMonitor<RateLimitSettings> _settings;
    private readonly PartitionedRateLimiter<string> _clients;
    private readonly PartitionedRateLimiter<string> _users;

    public TokenRequestLimits(IOptionsMonitor<RateLimitSettings> settings)
    {
        _settings = settings;
        _clients = Create(s => s.PermitLimitPerClient);
        _users = Create(s => s.PasswordAttemptsPerUser);
    }

    /// <summary>Null when the client may send one more request, else how long it must wait.</summary>
    public TimeSpan? TryClient(string? clientId) => TryAcquire(_clients, clientId ?? "");

    /// <summary>Null when the username may be tried once more, else how long to wait.</summary>
    public TimeSpan? TryUser(string username) => TryAcquire(_users, username.Trim().ToUpperInvariant());

    private TimeSpan? TryAcquire(PartitionedRateLimiter<string> limiter, string key)
    {
        if (!_settings.CurrentValue.Enabled)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _settings.CurrentValue.Window;
    }

    private PartitionedRateLimiter<string> Create(Func<RateLimitSettings, int> permits) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits(_settings.CurrentValue),
            Window = _settings.CurrentValue.Window,
            QueueLimit = 0,
        }));

    public void Dispose()
    {
        _clients.Dispose();
        _users.Dispose();
    }
}
