namespace ResourceApi.Auth;

public sealed record MeResponse(
    string Subject, string? Name, string? Username, IReadOnlyList<string> Scopes, string? ClientId, DateTimeOffset? ExpiresAt);
