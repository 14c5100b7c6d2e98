namespace AuthServer.Telemetry;

/// <summary>Why a sign-in with a password failed, as <c>authrefresh.login.failed</c> names it.</summary>
public enum LoginFailure
{
    InvalidCredentials,
    LockedOut,
    RateLimited,
    NotAllowed,
}
