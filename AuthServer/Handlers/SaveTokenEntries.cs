using AuthServer.Stores;
using AuthServer.Telemetry;
using AuthServer.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// Saves what the sign-in gathered, once its tokens are generated and before its answer is built:
/// the redemption of the presented refresh token, the login of a password grant and the new token
/// entries, in one transaction (<see cref="TokenLedger.SaveAsync"/>). A refresh whose token turns
/// out redeemed after the leeway (or whose successor was used) ends the login; one whose token or
/// login was revoked meanwhile is refused. Either way nothing of it is stored.
/// </summary>
internal sealed class SaveTokenEntries(TokenLedger ledger, TokenWrites writes, RefreshTokenReplays replays, AuthServerMetrics metrics)
    : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseScopedHandler<SaveTokenEntries>()
            // Note: after the access and refresh tokens (whose entries these are), before the
            // identity token, which a refused refresh then does not sign for nothing.
            .SetOrder(OpenIddictServerHandlers.GenerateRefreshToken.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (writes.IsEmpty)
        {
            return;
        }

        var presented = writes.Redeeming;
        var now = context.Options.TimeProvider.GetUtcNow();
        var outcome = await ledger.SaveAsync(writes, now, context.Options.RefreshTokenReuseLeeway, context.CancellationToken);
        writes.Clear();

        switch (outcome)
        {
            // Note: a token redeemed already, within the leeway, is answered with its successor:
            // whether it was redeemed before this request read it or while it ran.
            case SaveOutcome.SavedAfterConcurrentRedemption:
                metrics.RefreshTokenReused(context.ClientId, ReuseOutcome.WithinLeeway);
                break;

            case SaveOutcome.Replayed:
                await replays.EndLoginAsync(presented!, context.ClientId, now, context.CancellationToken);
                context.RejectRefreshToken("ID2012");
                break;

            case SaveOutcome.NoLongerValid:
                context.RejectRefreshToken("ID2018");
                break;
        }
    }
}
