namespace AuthServer.Admin;

/// <summary>
/// A security event of a login: one the server detected (a replayed refresh token) or an end its
/// client asked for (the refresh token revoked at logout). Admin revocations are audit entries.
/// </summary>
public sealed class SecurityEvent
{
    public const string RefreshTokenReuse = "refresh_token_reuse";

    public const string LoginRevoked = "login_revoked";

    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Type { get; set; }

    public string? Subject { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The login (authorization) it concerns; null for events recorded before it was kept.</summary>
    public string? AuthorizationId { get; set; }
}
