using AuthServer.Stores;
using AuthServer.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// Refuses a token whose entry or login is no longer valid, from the row already read (no query).
/// In place of OpenIddict's <c>ValidateTokenEntry</c> and <c>ValidateAuthorizationEntry</c>, with
/// their texts, and one difference: a refresh token redeemed outside the reuse leeway ends its
/// whole login (the authorization too, not only its tokens), so that a refresh in flight at that
/// moment cannot leave a survivor (<see cref="TokenLedger.SaveAsync"/> checks the login).
/// </summary>
internal sealed class ValidateStoredTokenStatus(RefreshTokenReplays replays) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenIdResolved>()
            .UseScopedHandler<ValidateStoredTokenStatus>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        var token = StoredTokens.Recall(context.Transaction, context.TokenId)
            ?? throw new InvalidOperationException($"The entry of token '{context.TokenId}' was not read.");
        var now = context.Options.TimeProvider.GetUtcNow();

        switch (token.Status)
        {
            case Statuses.Valid:
                break;

            case Statuses.Redeemed when token.Type == TokenTypeIdentifiers.RefreshToken &&
                                        TokenLedger.IsWithinLeeway(token, now, context.Options.RefreshTokenReuseLeeway):
                // A retry or a concurrent presentation: it gets the same successor (the save checks
                // that the successor is still the live end of the chain).
                break;

            case Statuses.Redeemed:
                if (token.Type == TokenTypeIdentifiers.RefreshToken)
                {
                    await replays.EndLoginAsync(token, context.Principal?.GetPresenters().FirstOrDefault(), now, context.CancellationToken);
                }

                context.RejectRedeemed();
                return;

            case Statuses.Inactive:
                context.Reject(Errors.AuthorizationPending, OpenIddictResources.GetResourceString("ID2014"), OpenIddictResources.FormatID8000("ID2014"));
                return;

            case Statuses.Rejected:
                context.Reject(Errors.AccessDenied, OpenIddictResources.GetResourceString("ID2015"), OpenIddictResources.FormatID8000("ID2015"));
                return;

            default:
                context.RejectNoLongerValid();
                return;
        }

        if (token.AuthorizationId is not null && token.AuthorizationStatus != Statuses.Valid)
        {
            context.RejectLoginEnded();
        }
    }
}
