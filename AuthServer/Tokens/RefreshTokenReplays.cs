using AuthServer.Admin;
using AuthServer.Stores;
using AuthServer.Telemetry;

namespace AuthServer.Tokens;

/// <summary>
/// What a replayed refresh token does (RFC 9700 §4.14.2): one already redeemed, presented after
/// the reuse leeway or after its successor was used, ends its whole login: the authorization and
/// every token of it are revoked, and the event is recorded for the admin dashboard.
/// </summary>
internal sealed partial class RefreshTokenReplays(TokenLedger ledger, AuthServerMetrics metrics, ILogger<RefreshTokenReplays> logger)
{
    public async Task EndLoginAsync(StoredToken token, string? clientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        metrics.RefreshTokenReused(clientId, ReuseOutcome.LoginRevoked);
        var securityEvent = new SecurityEvent
        {
            At = now,
            Type = SecurityEvent.RefreshTokenReuse,
            Subject = token.Subject,
            ClientId = clientId,
            AuthorizationId = token.AuthorizationId,
        };

        if (token.AuthorizationId is not { } login)
        {
            LogReplayWithoutLogin(logger, token.Id, clientId);
            return;
        }

        var revoked = await ledger.RevokeLoginAsync(login, securityEvent, cancellationToken);
        LogReplay(logger, token.Id, clientId, login, revoked);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "The redeemed refresh token '{TokenId}' was presented again by client {ClientId}: login {AuthorizationId} revoked, with its {Revoked} remaining tokens.")]
    private static partial void LogReplay(ILogger logger, string tokenId, string? clientId, string authorizationId, int revoked);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning,
        Message = "The redeemed refresh token '{TokenId}' was presented again by client {ClientId}; it belongs to no login.")]
    private static partial void LogReplayWithoutLogin(ILogger logger, string tokenId, string? clientId);
}
