using Microsoft.EntityFrameworkCore;

namespace ResourceApi.Notes;

/// <summary>Development: two notes for the demo user alice, when she has none.</summary>
public sealed class DemoDataSettings
{
    public const string SectionName = "DemoData";

    /// <summary>Whether the demo notes are created at start. The default value is false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The <c>sub</c> of the demo user (AuthServer gives alice a fixed id in Development).</summary>
    public string? OwnerId { get; set; }
}

public sealed class NotesSeed(NotesDbContext db, TimeProvider time, Microsoft.Extensions.Options.IOptions<DemoDataSettings> settings)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var demo = settings.Value;
        if (!demo.Enabled || string.IsNullOrEmpty(demo.OwnerId) ||
            await db.Notes.AnyAsync(n => n.OwnerId == demo.OwnerId, cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        db.Notes.AddRange(
            new Note { OwnerId = demo.OwnerId, Body = "Access tokens live five minutes; refresh tokens rotate on every use.", CreatedAt = now, UpdatedAt = now },
            new Note { OwnerId = demo.OwnerId, Body = "Reusing an old refresh token signs every session of that login out.", CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
    }
}
