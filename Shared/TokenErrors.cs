namespace AuthRefresh.Shared;

/// <summary>
/// The error descriptions AuthServer's token endpoint gives, one stable text per cause, so that
/// clients (SampleClient) may tell them apart. An unknown user and a wrong password share one
/// text, so that accounts cannot be enumerated.
/// </summary>
public static class TokenErrors
{
    public const string InvalidCredentials = "The username or password is invalid.";
    public const string LockedOut = "The account is locked out. Try again later.";
    public const string NotAllowed = "The account is not allowed to sign in.";
    public const string TwoFactorRequired = "The account uses two-factor authentication, which the password grant cannot check; sign in interactively.";
    public const string LoginNoLongerValid = "The login is no longer valid; sign in again.";
    public const string LoginExpired = "The login has reached its maximum lifetime; sign in again.";
    public const string UnknownClient = "The client application is unknown.";
    public const string AccountGone = "The account the access token was issued for no longer exists.";
}
