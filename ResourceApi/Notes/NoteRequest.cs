namespace ResourceApi.Notes;

public sealed record NoteRequest(string? Body);
