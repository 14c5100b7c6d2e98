using AuthServer.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.Areas.Admin.Pages.Sessions;

/// <summary>One session, live or ended: what it is, and its token family as a timeline.</summary>
public sealed class DetailsModel(SessionReader sessions) : PageModel
{
    public SessionSummary Session { get; private set; } = null!;

    public List<SessionEvent> Timeline { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await sessions.FindAsync(id, cancellationToken) is not { } found)
        {
            return NotFound();
        }

        (Session, Timeline) = found;
        return Page();
    }
}
