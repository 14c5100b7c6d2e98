namespace SampleClient.Tokens;

/// <summary>The claim of the sign-in cookie that names the visitor's token session.</summary>
public static class SessionClaim
{
    public const string Type = "session_id";
}
