using AuthServer.Admin;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.Areas.Admin.Pages;

/// <summary>What every admin page does: record its actions, and say what happened.</summary>
public abstract class AdminPageModel(AdminAudit audit) : PageModel
{
    protected string Actor => User.Identity?.Name ?? "unknown";

    /// <summary>Records the action in the audit log and shows <paramref name="status"/> on the next page.</summary>
    protected async Task AuditAsync(string action, string target, string status, string? details = null)
    {
        await audit.RecordAsync(Actor, action, target, details);
        TempData["Status"] = status;
    }
}
