using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SampleClient.Tokens;

namespace SampleClient.Pages;

/// <summary>
/// Logout is a POST with an antiforgery token (Razor Pages checks it): the refresh token is revoked
/// at AuthServer (which ends that login), the session forgotten, the cookie cleared. "Sign out
/// everywhere" does the same for every session of the user in SampleClient: other browsers and
/// devices are signed out at their next request.
/// </summary>
public sealed class LogoutModel(TokenSessionService sessions) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.FindFirstValue(SessionClaim.Type) is { } sessionId)
        {
            await sessions.SignOutAsync(sessionId, cancellationToken);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/login?reason=signed-out");
    }

    /// <summary>"Sign out everywhere": every session of this user in SampleClient, each login ended at AuthServer.</summary>
    public async Task<IActionResult> OnPostEverywhereAsync(CancellationToken cancellationToken)
    {
        if (User.FindFirstValue(SessionClaim.Type) is { } sessionId)
        {
            await sessions.SignOutEverywhereAsync(sessionId, cancellationToken);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/login?reason=signed-out");
    }
}
