using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace AuthServer.Data;

/// <summary>
/// Finds and attaches entities on a context without EF Core's change detection.
/// </summary>
/// <remarks>
/// <c>DbSet.Local</c> scans every entity the context tracks for changes before it answers, and a
/// token request asks for its client several times (docs/PERFORMANCE.md). A lookup by key needs no
/// scan: the key of a tracked entity does not change.
/// </remarks>
internal static class TrackedEntities
{
    /// <summary>The <typeparamref name="T"/> that <paramref name="db"/> tracks with key <paramref name="key"/>, if any.</summary>
    public static T? FindTracked<T>(this DbContext db, string key)
        where T : class
    {
        using var _ = WithoutDetection(db);
        return db.Set<T>().Local.FindEntry(key)?.Entity;
    }

    /// <summary>Tracks <paramref name="entity"/> as unchanged.</summary>
    public static void AttachUnchanged<T>(this DbContext db, T entity)
        where T : class
    {
        using var _ = WithoutDetection(db);
        db.Set<T>().Attach(entity);
    }

    private static Detection WithoutDetection(DbContext db)
    {
        var tracker = db.ChangeTracker;
        var was = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        return new Detection(tracker, was);
    }

    private readonly struct Detection(ChangeTracker tracker, bool was) : IDisposable
    {
        public void Dispose() => tracker.AutoDetectChangesEnabled = was;
    }
}
