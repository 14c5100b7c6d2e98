using System.Text.Json;
using AuthServer.Admin;
using AuthServer.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Areas.Admin.Pages.Sessions;

public sealed record SessionRow(string Id, DateTime? CreatedAt, string? ClientId, string? Subject, string? UserName, string Scopes, string? Status, int LiveTokens);

/// <summary>
/// Sessions are OpenIddict authorizations: one per login. Revoking one revokes its tokens, so its
/// refresh token stops working and its access tokens turn inactive.
/// </summary>
public sealed class IndexModel(
    ApplicationDbContext db,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    TimeProvider time,
    AdminAudit audit) : AdminPageModel(audit)
{
    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ClientId { get; set; }

    public List<SessionRow> Rows { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking().Where(a => a.Status == Statuses.Valid);
        if (!string.IsNullOrEmpty(UserId))
        {
            query = query.Where(a => a.Subject == UserId);
        }

        if (!string.IsNullOrEmpty(ClientId))
        {
            query = query.Where(a => a.Application!.ClientId == ClientId);
        }

        var found = await query
            .OrderByDescending(a => a.CreationDate)
            .Take(200)
            .Select(a => new
            {
                a.Id,
                a.CreationDate,
                a.Application!.ClientId,
                a.Subject,
                a.Scopes,
                LiveTokens = a.Tokens.Count(t => t.Status == Statuses.Valid && t.ExpirationDate > now),
            })
            .ToListAsync();

        var subjects = found.Select(a => a.Subject).Distinct().ToList();
        var names = await db.Users.Where(u => subjects.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName);
        Rows = [.. found.Select(a => new SessionRow(
            a.Id!, a.CreationDate, a.ClientId, a.Subject, a.Subject is null ? null : names.GetValueOrDefault(a.Subject),
            string.Join(" ", JsonSerializer.Deserialize<string[]>(a.Scopes ?? "[]") ?? []), Statuses.Valid, a.LiveTokens))];
    }

    public async Task<IActionResult> OnPostRevokeAsync(string authorizationId)
    {
        if (await authorizations.FindByIdAsync(authorizationId) is not { } authorization)
        {
            return NotFound();
        }

        var subject = await authorizations.GetSubjectAsync(authorization);
        await authorizations.TryRevokeAsync(authorization);
        var revoked = await tokens.RevokeByAuthorizationIdAsync(authorizationId);
        await AuditAsync("session.revoke", $"{subject} / {authorizationId}", "Session revoked.", $"{revoked} token(s) revoked");
        return Redirect($"/admin/sessions?userId={Uri.EscapeDataString(UserId ?? "")}&clientId={Uri.EscapeDataString(ClientId ?? "")}");
    }
}
