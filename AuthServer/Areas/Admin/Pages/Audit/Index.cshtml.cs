using AuthServer.Admin;
using AuthServer.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Areas.Admin.Pages.Audit;

/// <summary>The audit log, newest first, each target linked to the page of what it names.</summary>
public sealed class IndexModel(ApplicationDbContext db) : PageModel
{
    public List<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync() => Entries = await db.AuditEntries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(200).ToListAsync();

    /// <summary>
    /// Where the entry's target can be looked at: a session's page (its target is
    /// <c>session {id}</c>, or <c>{subject} / {id}</c> in entries written before), a user found by
    /// name, a client's page; null for what no longer exists (a deleted client or user).
    /// </summary>
    public static string? LinkOf(AuditEntry entry)
    {
        var target = Uri.EscapeDataString(entry.Target.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "");
        return entry.Action switch
        {
            AdminAudit.SessionRevoke => $"/admin/sessions/{target}",
            "user.delete" or "client.delete" => null,
            _ when entry.Action.StartsWith("user.", StringComparison.Ordinal) => $"/admin/users?q={Uri.EscapeDataString(entry.Target)}",
            _ when entry.Action.StartsWith("client.", StringComparison.Ordinal) => $"/admin/clients/edit/{Uri.EscapeDataString(entry.Target)}",
            _ => null,
        };
    }
}
