using OpenIddict.Abstractions;

namespace AuthServer.Accounts;

/// <summary>Revokes every authorization (login) and token of a user, at once.</summary>
public sealed partial class UserTokenRevoker(
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    ILogger<UserTokenRevoker> logger)
{
    public async Task RevokeAllAsync(string userId, string reason, CancellationToken cancellationToken = default)
    {
        var revokedAuthorizations = await authorizations.RevokeBySubjectAsync(userId, cancellationToken);
        var revokedTokens = await tokens.RevokeBySubjectAsync(userId, cancellationToken);
        LogRevoked(logger, userId, reason, revokedAuthorizations, revokedTokens);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information,
        Message = "Revoked the logins of user {UserId} ({Reason}): {Authorizations} authorizations, {Tokens} tokens.")]
    private static partial void LogRevoked(ILogger logger, string userId, string reason, long authorizations, long tokens);
}
