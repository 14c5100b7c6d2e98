using AuthServer.Admin;
using AuthServer.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Areas.Admin.Pages;

public sealed class IndexModel(ApplicationDbContext db, TimeProvider time) : PageModel
{
    public int Users { get; private set; }

    public int ActiveSessions { get; private set; }

    public int TokensIssued { get; private set; }

    public int ReusedRefreshTokens { get; private set; }

    public async Task OnGetAsync()
    {
        var since = time.GetUtcNow().AddHours(-24);
        Users = await db.Users.CountAsync();
        ActiveSessions = await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().CountAsync(a => a.Status == Statuses.Valid);
        TokensIssued = await db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync(t => t.CreationDate >= since.UtcDateTime);
        ReusedRefreshTokens = await db.SecurityEvents.CountAsync(e => e.Type == SecurityEvent.RefreshTokenReuse && e.At >= since);
    }
}
