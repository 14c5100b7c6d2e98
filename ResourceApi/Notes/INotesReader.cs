namespace ResourceApi.Notes;

/// <summary>Reads the list of a user's notes, oldest first.</summary>
public interface INotesReader
{
    ValueTask<List<NoteResponse>> ListAsync(string owner, CancellationToken cancellationToken);
}
