namespace AuthServer.Tokens;

/// <summary>
/// A stored token entry as a request reads it: its own columns, and the status of the
/// authorization (the login) it belongs to, read in the same query.
/// </summary>
internal sealed record StoredToken(
    string Id,
    string? Type,
    string? Status,
    string? ApplicationId,
    string? AuthorizationId,
    string? AuthorizationStatus,
    string? Subject,
    DateTimeOffset? CreationDate,
    DateTimeOffset? ExpirationDate,
    DateTimeOffset? RedemptionDate,
    string? ReferenceId,
    string? Payload);

/// <summary>A token entry this request writes.</summary>
internal sealed class NewToken
{
    public string Id { get; } = Guid.NewGuid().ToString();

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

/// <summary>An authorization (a login) this request writes: the ad-hoc one of a password grant.</summary>
internal sealed class NewAuthorization
{
    public string Id { get; } = Guid.NewGuid().ToString();

    public string? ApplicationId { get; init; }

    public string? Subject { get; init; }

    public required DateTimeOffset CreationDate { get; init; }

    public required IReadOnlyCollection<string> Scopes { get; init; }
}
