namespace SampleClient.Tokens;

/// <summary>Whether a request must refresh the tokens first, and why.</summary>
public static class RefreshPolicy
{
    public const string Expired = "access token expired";
    public const string Expiring = "access token about to expire";
    public const string DataRequest = "data request (demonstration mode)";

    /// <returns>The reason to refresh, or null when the access token can be used as it is.</returns>
    public static string? Decide(DateTimeOffset expiresAt, DateTimeOffset now, TimeSpan margin, bool dataRequest, bool refreshOnEveryDataRequest)
    {
        if (expiresAt <= now)
        {
            return Expired;
        }

        if (expiresAt - now <= margin)
        {
            return Expiring;
        }

        return dataRequest && refreshOnEveryDataRequest ? DataRequest : null;
    }
}
