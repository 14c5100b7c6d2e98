namespace AuthServer.Hosting;

/// <summary>
/// An error status without a body on AuthServer's browser pages (the admin area, the account
/// pages) is answered with the status page, re-executed in place: a styled 403 with a way back
/// instead of an empty or text/plain answer. The protocol endpoints are left as they are: their
/// errors are OAuth JSON (RFC 6749 §5.2), never HTML.
/// </summary>
internal static class BrowserStatusPages
{
    public static void UseBrowserStatusPages(this IApplicationBuilder app)
        => app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/admin") || context.Request.Path.StartsWithSegments("/Identity"),
            browser => browser.UseStatusCodePagesWithReExecute("/status/{0}"));
}
