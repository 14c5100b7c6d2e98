using AuthServer.Admin;
using AuthServer.Stores;
using AuthServer.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// Revokes the token a client sends to the revocation endpoint. A refresh token ends its whole
/// login: RFC 7009 §2.1 says the server SHOULD then invalidate the access tokens of the same
/// grant, and a login whose refresh token is revoked has nothing left to refresh. An access token
/// is revoked alone. In place of OpenIddict's <c>RevokeToken</c>, which revokes the token alone,
/// with its errors. The end of a login is recorded as a <see cref="SecurityEvent.LoginRevoked"/>
/// with the client that asked, for the admin's session timeline.
/// </summary>
internal sealed partial class RevokeTokenOrLogin(TokenLedger ledger, TimeProvider time, ILogger<RevokeTokenOrLogin> logger)
    : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
            .UseScopedHandler<RevokeTokenOrLogin>()
            .SetOrder(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        var id = context.GenericTokenPrincipal?.GetTokenId();
        if (string.IsNullOrEmpty(id))
        {
            context.Reject(Errors.UnsupportedTokenType, OpenIddictResources.GetResourceString("ID2079"), OpenIddictResources.FormatID8000("ID2079"));
            return;
        }

        var token = StoredTokens.Recall(context.Transaction, id) ?? await ledger.FindByIdAsync(id, context.CancellationToken);
        if (token is null)
        {
            context.Reject(Errors.InvalidToken, OpenIddictResources.GetResourceString("ID2004"), OpenIddictResources.FormatID8000("ID2004"));
            return;
        }

        if (token.Type == TokenTypeIdentifiers.RefreshToken && token.AuthorizationId is { } login)
        {
            var ended = new SecurityEvent
            {
                At = time.GetUtcNow(),
                Type = SecurityEvent.LoginRevoked,
                Subject = token.Subject,
                ClientId = context.Request.ClientId,
                AuthorizationId = login,
            };
            var revoked = await ledger.RevokeLoginAsync(login, ended, context.CancellationToken);
            LogLoginRevoked(logger, login, revoked, context.Request.ClientId);
            return;
        }

        await ledger.RevokeTokenAsync(token.Id, context.CancellationToken);
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information,
        Message = "Login {AuthorizationId} ended by the revocation of its refresh token by client {ClientId}: {Revoked} tokens revoked.")]
    private static partial void LogLoginRevoked(ILogger logger, string authorizationId, int revoked, string? clientId);
}
