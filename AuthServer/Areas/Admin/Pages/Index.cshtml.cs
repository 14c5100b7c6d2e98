using AuthServer.Admin;
using AuthServer.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Areas.Admin.Pages;

/// <summary>One hour of the dashboard's chart: tokens issued, token requests refused, refresh tokens reused.</summary>
public sealed record HourCounts(DateTimeOffset Start, int Issued, int Refused, int Reused);

/// <summary>
/// The dashboard: the counts now, and the last 24 hours hour by hour. Issued tokens and detected
/// reuse are read from the database (the whole cluster); refusals are this node's
/// (<see cref="RefusalCounter"/>).
/// </summary>
public sealed class IndexModel(ApplicationDbContext db, RefusalCounter refusals, TimeProvider time) : PageModel
{
    public int Users { get; private set; }

    public int ActiveSessions { get; private set; }

    public int TokensIssued { get; private set; }

    public int ReusedRefreshTokens { get; private set; }

    public int Refused { get; private set; }

    /// <summary>The last 24 hours, oldest first; the last one is the hour under way.</summary>
    public List<HourCounts> Hours { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = new DateTimeOffset(RefusalCounter.HourOf(now) * TimeSpan.TicksPerHour, TimeSpan.Zero);
        var since = current.AddHours(-23);
        Users = await db.Users.CountAsync(cancellationToken);
        ActiveSessions = await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().CountAsync(a => a.Status == Statuses.Valid, cancellationToken);

        // Note: the database counts the tokens by hour (a busy day has millions); the reuse
        // events are few, and their time is stored as ticks, so they are counted here.
        var issuedByHour = (await db.Set<OpenIddictEntityFrameworkCoreToken>()
                .Where(t => t.CreationDate >= since.UtcDateTime)
                .GroupBy(t => new { t.CreationDate!.Value.Date, t.CreationDate.Value.Hour })
                .Select(g => new { g.Key.Date, g.Key.Hour, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .ToDictionary(g => RefusalCounter.HourOf(new DateTimeOffset(DateTime.SpecifyKind(g.Date.AddHours(g.Hour), DateTimeKind.Utc))), g => g.Count);
        var reused = await db.SecurityEvents
            .Where(e => e.Type == SecurityEvent.RefreshTokenReuse && e.At >= since)
            .Select(e => e.At)
            .ToListAsync(cancellationToken);
        var reusedByHour = reused.CountBy(RefusalCounter.HourOf).ToDictionary();

        Hours = [.. Enumerable.Range(0, 24).Select(i => since.AddHours(i)).Select(start => new HourCounts(
            start,
            issuedByHour.GetValueOrDefault(RefusalCounter.HourOf(start)),
            refusals.In(start),
            reusedByHour.GetValueOrDefault(RefusalCounter.HourOf(start))))];
        TokensIssued = Hours.Sum(h => h.Issued);
        ReusedRefreshTokens = Hours.Sum(h => h.Reused);
        Refused = Hours.Sum(h => h.Refused);
    }
}
