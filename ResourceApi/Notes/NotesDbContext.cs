using Microsoft.EntityFrameworkCore;

namespace ResourceApi.Notes;

/// <summary>ResourceApi's database. Its migrations are SQLite's; <see cref="PostgreSqlNotesDbContext"/> has PostgreSQL's.</summary>
public class NotesDbContext : DbContext
{
    public NotesDbContext(DbContextOptions<NotesDbContext> options)
        : base(options)
    {
    }

    protected NotesDbContext(DbContextOptions options)
        : base(options)
    {
    }

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
