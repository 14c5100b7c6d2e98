namespace SampleClient.Tokens;

/// <summary>A session's tokens as a page shows and uses them.</summary>
public sealed record SessionTokens(
    string SessionId, string Subject, string UserName, string? DisplayName,
    string AccessToken, string RefreshToken, DateTimeOffset AccessTokenExpiresAt, IReadOnlyList<Rotation> Rotations);
