namespace AuthServer.Admin;

/// <summary>A login (an OpenIddict authorization) as the admin's Sessions pages show it.</summary>
public sealed record SessionSummary(
    string Id, string Status, DateTimeOffset? CreatedAt, string? ClientId, string? Subject, string? UserName, string Scopes,
    DateTimeOffset? LastRefreshedAt, DateTimeOffset? IdleExpiresAt, DateTimeOffset? AbsoluteExpiresAt, int Refreshes, int LiveTokens);
