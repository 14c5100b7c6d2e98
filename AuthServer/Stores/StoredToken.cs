namespace AuthServer.Stores;

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
