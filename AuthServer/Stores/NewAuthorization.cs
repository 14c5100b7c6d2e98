namespace AuthServer.Stores;

/// <summary>An authorization (a login) this request writes: the ad-hoc one of a password grant.</summary>
internal sealed class NewAuthorization
{
    public string Id { get; } = EntryIds.New();

    public string? ApplicationId { get; init; }

    public string? Subject { get; init; }

    public required DateTimeOffset CreationDate { get; init; }

    public required IReadOnlyCollection<string> Scopes { get; init; }
}
