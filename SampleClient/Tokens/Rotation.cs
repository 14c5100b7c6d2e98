namespace SampleClient.Tokens;

/// <summary>One token rotation: when, why, and fingerprints of the old and new refresh tokens.</summary>
public sealed class Rotation
{
    public int Id { get; set; }

    public required string SessionId { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Reason { get; set; }

    public string? OldRefreshToken { get; set; }

    public required string NewRefreshToken { get; set; }
}
