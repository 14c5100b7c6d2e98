namespace AuthServer.Telemetry;

/// <summary>What became of a refresh token presented again after it was redeemed.</summary>
public enum ReuseOutcome
{
    /// <summary>Within the reuse leeway: answered with the same successor (a retry or a race).</summary>
    WithinLeeway,

    /// <summary>After the leeway, or after its successor was used: the whole login was revoked.</summary>
    LoginRevoked,
}
