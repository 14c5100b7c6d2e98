using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Areas.Admin.Pages.Users;

public sealed class IndexModel(UserManager<ApplicationUser> users) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public int Total { get; private set; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public List<ApplicationUser> Found { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var query = users.Users;
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var term = Q.Trim().ToUpperInvariant();
            query = query.Where(u => u.NormalizedUserName!.Contains(term) || u.NormalizedEmail!.Contains(term));
        }

        Total = await query.CountAsync();
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Found = await query.OrderBy(u => u.NormalizedUserName).Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync();
    }
}
