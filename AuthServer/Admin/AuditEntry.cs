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
