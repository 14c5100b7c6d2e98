namespace AuthServer.Admin;

/// <summary>One administrator action: who did what to whom, when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public required string Target { get; set; }

    public string? Details { get; set; }
}

/// <summary>A security event the server detected, such as a replayed refresh token.</summary>
public sealed class SecurityEvent
{
    public const string RefreshTokenReuse = "refresh_token_reuse";

    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Type { get; set; }

    public string? Subject { get; set; }

    public string? ClientId { get; set; }
}
