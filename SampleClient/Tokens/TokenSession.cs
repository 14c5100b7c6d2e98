namespace SampleClient.Tokens;

/// <summary>
/// One signed-in browser session: its tokens, kept on the server (the browser only holds an
/// encrypted cookie with the session id). Tokens are stored protected by Data Protection.
/// </summary>
public sealed class TokenSession
{
    public required string Id { get; set; }

    public required string Subject { get; set; }

    public required string UserName { get; set; }

    public string? DisplayName { get; set; }

    public required string ProtectedAccessToken { get; set; }

    public required string ProtectedRefreshToken { get; set; }

    public DateTimeOffset AccessTokenExpiresAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Bumped by every refresh: a node claims the refresh of the version it read.</summary>
    public int Version { get; set; }

    /// <summary>
    /// Until when (Unix milliseconds) a node holds the right to refresh this session; null when
    /// none does. Set only by a conditional write, so that one node at a time redeems the
    /// session's refresh token.
    /// </summary>
    public long? RefreshLeaseUntil { get; set; }

    public List<Rotation> Rotations { get; set; } = [];
}
