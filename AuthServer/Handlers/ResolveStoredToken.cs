using AuthServer.Stores;
using AuthServer.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// Finds the entry of a presented reference token (a refresh token handle) in one query, with the
/// status of its login, and reads its claims. In place of OpenIddict's
/// <c>ValidateReferenceTokenIdentifier</c>, whose contract it keeps: a token that is not a JWT is
/// looked up by its obfuscated handle; an unknown one is left for <c>ValidatePrincipal</c> to
/// reject; one of another type is rejected; the entry's id is the token's. A payload of this
/// server's format (<see cref="RefreshTokenFormat"/>) becomes the principal here; one of
/// OpenIddict's own (a JWT, from before this format) becomes the token that
/// <c>ValidateIdentityModelToken</c> then validates.
/// </summary>
internal sealed class ResolveStoredToken(TokenLedger ledger, RefreshTokenFormat format) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .UseScopedHandler<ResolveStoredToken>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateReferenceTokenIdentifier.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        if ((context.ValidTokenTypes.Count == 1 && context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion)) ||
            context.SecurityTokenHandler.CanReadToken(context.Token))
        {
            return;
        }

        var token = await ledger.FindByReferenceIdAsync(RefreshTokenFormat.Obfuscate(context.Token), context.CancellationToken);
        if (token is null)
        {
            return;
        }

        if (context.ValidTokenTypes.Count > 0 && (token.Type is null || !context.ValidTokenTypes.Contains(token.Type)))
        {
            context.RejectInvalid();
            return;
        }

        if (string.IsNullOrEmpty(token.Payload))
        {
            throw new InvalidOperationException($"The reference token entry '{token.Id}' has no payload.");
        }

        StoredTokens.Remember(context.Transaction, token);
        context.IsReferenceToken = true;
        context.TokenId = token.Id;

        if (!RefreshTokenFormat.IsOwn(token.Payload))
        {
            context.Token = token.Payload;
            return;
        }

        if (format.Unprotect(token.Payload, token.Id) is not { } principal)
        {
            context.RejectInvalid();
            return;
        }

        // Note: the type, dates and ids come from the entry (RestoreStoredTokenProperties).
        context.Principal = principal.SetTokenType(token.Type);
    }
}
