namespace AuthServer.Stores;

/// <summary>The ids of the token and authorization entries this server writes.</summary>
/// <remarks>
/// Version 7 UUIDs: their text starts with the time they were made, so new ids sort after the
/// ones before them, and each insert adds to the right edge of the primary key's index instead
/// of a random page of it. A random id makes every insert read and rewrite a page of an index
/// that grows with every token stored (docs/PERFORMANCE.md). The ids are not secrets: a token's
/// holder presents the token, never the id, and the 74 random bits keep ids unique.
/// </remarks>
internal static class EntryIds
{
    public static string New() => Guid.CreateVersion7().ToString();
}
