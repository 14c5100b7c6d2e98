using AuthRefresh.Shared;
using Microsoft.EntityFrameworkCore;

namespace ResourceApi.Notes;

/// <summary>Development: two notes for the demo user alice, when she has none.</summary>
public sealed class NotesSeed(NotesDbContext db, TimeProvider time, Microsoft.Extensions.Options.IOptions<DemoDataSettings> settings)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        const string owner = DemoUsers.AliceId;
        if (!settings.Value.Enabled || await db.Notes.AnyAsync(n => n.OwnerId == owner, cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        db.Notes.AddRange(
            new Note { OwnerId = owner, Body = "Access tokens live five minutes; refresh tokens rotate on every use.", CreatedAt = now, UpdatedAt = now },
            new Note { OwnerId = owner, Body = "Reusing an old refresh token signs every session of that login out.", CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
    }
}
