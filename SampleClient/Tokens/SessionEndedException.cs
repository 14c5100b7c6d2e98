namespace SampleClient.Tokens;

/// <summary>The session is gone: its refresh failed (revoked, expired, reused) or it was signed out.</summary>
public sealed class SessionEndedException(string message) : Exception(message);
