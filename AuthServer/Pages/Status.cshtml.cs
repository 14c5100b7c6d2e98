using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.Pages;

/// <summary>
/// The page a browser sees for an error status of AuthServer's own pages (the admin area, the
/// account pages): re-executed by the status-code middleware, so the status stays the one the
/// request got and the address stays the one asked for.
/// </summary>
[AllowAnonymous]
public sealed class StatusModel : PageModel
{
    public string Title { get; private set; } = "";

    public string Text { get; private set; } = "";

    public void OnGet(int code) => (Title, Text) = code switch
    {
        StatusCodes.Status403Forbidden => ("403 Forbidden: for administrators only",
            "You are signed in, but this page is for administrators. Ask one to give your account the Admin role, or sign in with an account that has it."),
        StatusCodes.Status404NotFound => ("404 Not found", "There is nothing at this address: the user, client or session may have been deleted."),
        _ => ($"{code}", "This request could not be completed."),
    };
}
