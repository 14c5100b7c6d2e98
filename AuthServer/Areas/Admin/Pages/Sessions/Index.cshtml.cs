using AuthServer.Admin;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Abstractions;

namespace AuthServer.Areas.Admin.Pages.Sessions;

/// <summary>
/// Sessions are OpenIddict authorizations: one per login. The list finds them by user name or
/// e-mail (or a user's id, from the user page) and by client. Revoking one revokes its tokens, so
/// its refresh token stops working and its access tokens turn inactive.
/// </summary>
public sealed class IndexModel(
    SessionReader sessions,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    AdminAudit audit) : AdminPageModel(audit)
{
    /// <summary>Part of a user name or e-mail address.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ClientId { get; set; }

    public List<SessionSummary> Rows { get; private set; } = [];

    public bool Filtered => !string.IsNullOrWhiteSpace(Q) || !string.IsNullOrEmpty(UserId) || !string.IsNullOrEmpty(ClientId);

    public async Task OnGetAsync(CancellationToken cancellationToken)
        => Rows = await sessions.ListAsync(Q, UserId, ClientId, cancellationToken);

    public async Task<IActionResult> OnPostRevokeAsync(string authorizationId, string? returnTo)
    {
        if (await authorizations.FindByIdAsync(authorizationId) is not { } authorization)
        {
            return NotFound();
        }

        var session = await sessions.SummaryAsync(authorizationId, HttpContext.RequestAborted);
        await authorizations.TryRevokeAsync(authorization);
        var revoked = await tokens.RevokeByAuthorizationIdAsync(authorizationId);
        await AuditAsync(AdminAudit.SessionRevoke, $"session {authorizationId}", "Session revoked.",
            $"{session?.UserName ?? session?.Subject} through {session?.ClientId}: {revoked} token(s) revoked");
        return returnTo == "details"
            ? Redirect($"/admin/sessions/{Uri.EscapeDataString(authorizationId)}")
            : Redirect($"/admin/sessions?q={Uri.EscapeDataString(Q ?? "")}&userId={Uri.EscapeDataString(UserId ?? "")}&clientId={Uri.EscapeDataString(ClientId ?? "")}");
    }
}
