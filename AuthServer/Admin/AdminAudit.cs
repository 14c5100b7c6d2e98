using AuthServer.Data;

namespace AuthServer.Admin;

/// <summary>Records administrator actions in the audit log.</summary>
public sealed class AdminAudit(ApplicationDbContext db, TimeProvider time)
{
    /// <summary>The action of an administrator revoking a session; its target names the session's id.</summary>
    public const string SessionRevoke = "session.revoke";

    public async Task RecordAsync(string actor, string action, string target, string? details = null)
    {
        db.AuditEntries.Add(new AuditEntry { At = time.GetUtcNow(), Actor = actor, Action = action, Target = target, Details = details });
        await db.SaveChangesAsync();
    }
}
