namespace ResourceApi.Notes;

public sealed record NoteResponse(int Id, string Body, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static NoteResponse From(Note note) => new(note.Id, note.Body, note.CreatedAt, note.UpdatedAt);
}
