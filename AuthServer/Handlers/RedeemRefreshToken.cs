using AuthServer.Stores;
using AuthServer.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// Marks the presented refresh token of a refresh grant for redemption, which
/// <see cref="SaveTokenEntries"/> makes one conditional write in the transaction that stores its
/// successor. In place of OpenIddict's <c>RedeemTokenEntry</c>, which saves it at once. This server
/// has no other grant that redeems a token (no authorization code, no device code).
/// </summary>
internal sealed class RedeemRefreshToken(TokenWrites writes) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .UseScopedHandler<RedeemRefreshToken>()
            .SetOrder(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType != OpenIddictServerEndpointType.Token || !context.Request!.IsRefreshTokenGrantType() ||
            context.Options.DisableRollingRefreshTokens)
        {
            return ValueTask.CompletedTask;
        }

        var authentication = context.Transaction.GetProperty<ProcessAuthenticationContext>(typeof(ProcessAuthenticationContext).FullName!)
            ?? throw new InvalidOperationException("The authentication context of the refresh grant is missing.");
        writes.Redeeming = StoredTokens.Recall(context.Transaction, authentication.RefreshTokenPrincipal?.GetTokenId());
        return ValueTask.CompletedTask;
    }
}
