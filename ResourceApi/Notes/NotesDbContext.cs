using Microsoft.EntityFrameworkCore;

namespace ResourceApi.Notes;

public sealed class NotesDbContext(DbContextOptions<NotesDbContext> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.Entity<Note>(note =>
        {
            note.Property(n => n.OwnerId).HasMaxLength(200);
            note.Property(n => n.Body).HasMaxLength(Note.MaxBodyLength);
            note.HasIndex(n => n.OwnerId);
        });
    }
}
