using System.Globalization;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.RateLimiting;

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
