using AuthRefresh.Shared;

namespace ResourceApi.Notes;

/// <summary>A note of one user: the owner is the <c>sub</c> of the access token that wrote it.</summary>
public sealed class Note
{
    public const int MaxBodyLength = NotesContract.MaxBodyLength;

    public int Id { get; set; }

    public required string OwnerId { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// The current time at the precision every provider stores (PostgreSQL keeps microseconds), so
    /// the answer to a write is the value a later read returns.
    /// </summary>
    public static DateTimeOffset Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
