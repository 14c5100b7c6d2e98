using System.Text.Json;
using AuthServer.Data;
using AuthServer.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Admin;

/// <summary>
/// Reads sessions for the admin area: the list (optionally of the users whose name or e-mail
/// contains a search term, or of one client), and one session with its token family as a
/// timeline, from the token rows, the security events and the audit log.
/// </summary>
public sealed class SessionReader(ApplicationDbContext db, IOptions<TokenSettings> tokens, TimeProvider time)
{
    /// <summary>The live sessions, newest first (at most 200).</summary>
    public async Task<List<SessionSummary>> ListAsync(string? search, string? userId, string? clientId, CancellationToken cancellationToken)
    {
        var query = Authorizations().Where(a => a.Status == Statuses.Valid);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
            var subjects = db.Users.Where(u => u.NormalizedUserName!.Contains(term) || u.NormalizedEmail!.Contains(term)).Select(u => u.Id);
            query = query.Where(a => subjects.Contains(a.Subject!));
        }

        if (!string.IsNullOrEmpty(userId))
        {
            query = query.Where(a => a.Subject == userId);
        }

        if (!string.IsNullOrEmpty(clientId))
        {
            query = query.Where(a => a.Application!.ClientId == clientId);
        }

        return await SummariesAsync(query.OrderByDescending(a => a.CreationDate).Take(200), cancellationToken);
    }

    /// <summary>One session, live or ended, without its timeline; null when there is no such login.</summary>
    public async Task<SessionSummary?> SummaryAsync(string id, CancellationToken cancellationToken)
        => (await SummariesAsync(Authorizations().Where(a => a.Id == id), cancellationToken)).SingleOrDefault();

    /// <summary>One session, live or ended, with its timeline; null when there is no such login.</summary>
    public async Task<(SessionSummary Session, List<SessionEvent> Timeline)?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (await SummaryAsync(id, cancellationToken) is not { } session)
        {
            return null;
        }

        var refreshTokens = await db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
            .Where(t => t.Authorization!.Id == id && t.Type == TokenTypeIdentifiers.RefreshToken)
            .OrderBy(t => t.CreationDate)
            .Select(t => new { t.CreationDate, t.Status })
            .ToListAsync(cancellationToken);

        // Note: the sign-in issued refresh token #1 in the same transaction; it is one event.
        var timeline = new List<SessionEvent>();
        var first = refreshTokens.FirstOrDefault();
        var signedIn = new[] { session.CreatedAt, Utc(first?.CreationDate) }.Where(at => at is not null).Min();
        if (signedIn is { } at)
        {
            var issued = first is null ? "" : $"; refresh token #1 issued, {Describe(first.Status)}";
            timeline.Add(new(at, "signed-in", $"Signed in through {session.ClientId} (scopes {session.Scopes}){issued}", session.UserName));
        }

        foreach (var (token, number) in refreshTokens.Select((token, i) => (token, i + 1)).Skip(1))
        {
            timeline.Add(new(Utc(token.CreationDate) ?? DateTimeOffset.MinValue, "refreshed",
                $"Refreshed: refresh token #{number - 1} redeemed, #{number} issued, {Describe(token.Status)}", session.ClientId));
        }

        var events = await db.SecurityEvents.AsNoTracking().Where(e => e.AuthorizationId == id).ToListAsync(cancellationToken);
        timeline.AddRange(events.Select(e => e.Type == SecurityEvent.RefreshTokenReuse
            ? new SessionEvent(e.At, "reuse", "Reuse detected: a redeemed refresh token was presented again, so the whole login was revoked", e.ClientId)
            : new SessionEvent(e.At, "revoked", "Ended by its client: the refresh token was revoked (logout)", e.ClientId)));

        var audit = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AdminAudit.SessionRevoke && e.Target.Contains(id))
            .ToListAsync(cancellationToken);
        timeline.AddRange(audit.Select(e => new SessionEvent(e.At, "revoked", "Revoked by an administrator", e.Actor)));

        return (session, [.. timeline.OrderBy(e => e.At)]);

        static string Describe(string? status) => status switch
        {
            Statuses.Valid => "current",
            Statuses.Redeemed => "since redeemed",
            Statuses.Revoked => "revoked",
            _ => status ?? "unknown",
        };
    }

    private IQueryable<OpenIddictEntityFrameworkCoreAuthorization> Authorizations()
        => db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking();

    private async Task<List<SessionSummary>> SummariesAsync(IQueryable<OpenIddictEntityFrameworkCoreAuthorization> query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var found = await query
            .Select(a => new
            {
                a.Id,
                a.Status,
                a.CreationDate,
                a.Application!.ClientId,
                a.Subject,
                a.Scopes,
                RefreshTokens = a.Tokens.Count(t => t.Type == TokenTypeIdentifiers.RefreshToken),
                LastRefreshedAt = a.Tokens.Where(t => t.Type == TokenTypeIdentifiers.RefreshToken).Max(t => t.CreationDate),
                IdleExpiresAt = a.Tokens.Where(t => t.Type == TokenTypeIdentifiers.RefreshToken && t.Status == Statuses.Valid).Max(t => t.ExpirationDate),
                LiveTokens = a.Tokens.Count(t => t.Status == Statuses.Valid && t.ExpirationDate > now),
            })
            .ToListAsync(cancellationToken);

        var subjects = found.Select(a => a.Subject).Distinct().ToList();
        var names = await db.Users.Where(u => subjects.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, cancellationToken);
        var absolute = tokens.Value.RefreshTokenAbsoluteLifetime;
        return [.. found.Select(a => new SessionSummary(
            a.Id!, a.Status ?? "", Utc(a.CreationDate), a.ClientId, a.Subject, a.Subject is null ? null : names.GetValueOrDefault(a.Subject),
            string.Join(" ", JsonSerializer.Deserialize<string[]>(a.Scopes ?? "[]") ?? []),
            a.RefreshTokens > 1 ? Utc(a.LastRefreshedAt) : null,
            a.Status == Statuses.Valid ? Utc(a.IdleExpiresAt) : null,
            a.Status == Statuses.Valid ? Utc(a.CreationDate) + absolute : null,
            Math.Max(0, a.RefreshTokens - 1), a.LiveTokens))];
    }

    private static DateTimeOffset? Utc(DateTime? value) => value is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
}
