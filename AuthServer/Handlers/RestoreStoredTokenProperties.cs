using AuthServer.Stores;
using AuthServer.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// Restores the entry's type, dates and ids on a validated token's principal, from the row
/// <see cref="ResolveStoredToken"/> read or, for a JWT (an access token at introspection or
/// userinfo), from one query by its id that also reads its login's status. In place of OpenIddict's
/// <c>RestoreTokenEntryProperties</c>, whose contract it keeps: a token whose entry is gone is
/// rejected, and so is the payload of a reference token presented as itself.
/// </summary>
internal sealed partial class RestoreStoredTokenProperties(TokenLedger ledger) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .UseScopedHandler<RestoreStoredTokenProperties>()
            .SetOrder(OpenIddictServerHandlers.Protection.RestoreTokenEntryProperties.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.Principal is null ||
            (context.ValidTokenTypes.Count == 1 && context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion)))
        {
            return;
        }

        // Note: a payload of this server's format carries no token id; its entry is the one found.
        var id = context.Principal.GetTokenId() ?? (context.IsReferenceToken ? context.TokenId : null);
        if (string.IsNullOrEmpty(id))
        {
            return;
        }

        var token = StoredTokens.Recall(context.Transaction, id) ?? await ledger.FindByIdAsync(id, context.CancellationToken);
        if (token is null)
        {
            context.RejectInvalid();
            return;
        }

        if (!context.IsReferenceToken && !string.IsNullOrEmpty(token.ReferenceId))
        {
            LogPayloadPresented(context.Logger, token.Id);
            context.RejectInvalid();
            return;
        }

        StoredTokens.Remember(context.Transaction, token);
        context.Principal.SetCreationDate(token.CreationDate)
            .SetExpirationDate(token.ExpirationDate)
            .SetAuthorizationId(token.AuthorizationId)
            .SetTokenId(token.Id)
            .SetTokenType(token.Type);
        context.AuthorizationId = token.AuthorizationId;
        context.TokenId = token.Id;
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning,
        Message = "The payload of the reference token '{TokenId}' was presented in place of its handle, and refused.")]
    private static partial void LogPayloadPresented(ILogger logger, string tokenId);
}
