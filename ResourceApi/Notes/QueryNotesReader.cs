using Microsoft.EntityFrameworkCore;

namespace ResourceApi.Notes;

/// <summary>The list through EF Core, on any provider: ResourceApi's reader on PostgreSQL.</summary>
public sealed class QueryNotesReader(NotesDbContext db) : INotesReader
{
    public async ValueTask<List<NoteResponse>> ListAsync(string owner, CancellationToken cancellationToken)
        => await db.Notes.AsNoTracking()
            .Where(n => n.OwnerId == owner)
            .OrderBy(n => n.Id)
            .Select(n => new NoteResponse(n.Id, n.Body, n.CreatedAt, n.UpdatedAt))
            .ToListAsync(cancellationToken);
}
