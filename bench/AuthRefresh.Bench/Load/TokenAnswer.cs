namespace AuthRefresh.Bench.Load;

/// <summary>What the token endpoint answered: the status and, on success, the tokens.</summary>
public readonly record struct TokenAnswer(int Status, string? AccessToken, string? RefreshToken);
