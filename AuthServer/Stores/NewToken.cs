namespace AuthServer.Stores;

/// <summary>A token entry this request writes.</summary>
internal sealed class NewToken
{
    public string Id { get; } = EntryIds.New();

    public required string Type { get; init; }

    public string? ApplicationId { get; init; }

    public string? AuthorizationId { get; init; }

    public string? Subject { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    public DateTimeOffset? ExpirationDate { get; init; }

    /// <summary>The obfuscated handle of a reference token (a refresh token); null for a JWT.</summary>
    public string? ReferenceId { get; set; }

    public string? Payload { get; set; }

    /// <summary>
    /// Whether another request may have written the same entry already: the successor of a
    /// refresh token, which every presentation of that token derives alike.
    /// </summary>
    public bool MayExist { get; set; }
}
