using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace AuthRefresh.Shared;

/// <summary>
/// The headers every response of the three apps carries, so that their pages keep scripts and
/// other sites away from sessions and tokens: a strict Content-Security-Policy (scripts and styles
/// only from the app itself, no inline script, no framing), no MIME sniffing, no referrer; and,
/// outside Development, HSTS and the Secure flag on every cookie the app sets.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <param name="app">The app.</param>
    /// <param name="exempt">
    /// Paths whose pages are a third party's and need more (ResourceApi's API reference, in
    /// Development only); they get every header but the CSP.
    /// </param>
    public static void UseSecurityHeaders(this WebApplication app, params string[] exempt)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseCookiePolicy(new CookiePolicyOptions { Secure = CookieSecurePolicy.Always, MinimumSameSitePolicy = SameSiteMode.Lax });
        }

        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            if (!exempt.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
    }
}
