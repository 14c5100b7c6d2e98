using AuthServer.Admin;
using AuthServer.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Areas.Admin.Pages.Audit;

public sealed class IndexModel(ApplicationDbContext db) : PageModel
{
    public List<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync() => Entries = await db.AuditEntries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(200).ToListAsync();
}
