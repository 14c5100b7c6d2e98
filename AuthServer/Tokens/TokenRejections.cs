using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Tokens;

/// <summary>
/// The rejections of a presented token, with the errors, texts and links OpenIddict's own handlers
/// give for the same cause: one text for a refresh token, one for any other token.
/// </summary>
internal static class TokenRejections
{
    /// <summary>The token is unknown or cannot be read.</summary>
    public static void RejectInvalid(this OpenIddictServerEvents.ValidateTokenContext context)
        => context.RejectWith(IsRefreshToken(context) ? "ID2003" : "ID2004");

    /// <summary>The token was redeemed already (and is not within the reuse leeway).</summary>
    public static void RejectRedeemed(this OpenIddictServerEvents.ValidateTokenContext context)
        => context.RejectWith(IsRefreshToken(context) ? "ID2012" : "ID2013");

    /// <summary>The token was revoked or is otherwise no longer valid.</summary>
    public static void RejectNoLongerValid(this OpenIddictServerEvents.ValidateTokenContext context)
        => context.RejectWith(IsRefreshToken(context) ? "ID2018" : "ID2019");

    /// <summary>The login (authorization) the token belongs to was revoked.</summary>
    public static void RejectLoginEnded(this OpenIddictServerEvents.ValidateTokenContext context)
        => context.RejectWith(IsRefreshToken(context) ? "ID2022" : "ID2023");

    /// <summary>The refresh token of a sign-in turned out redeemed or revoked when its redemption was saved.</summary>
    public static void RejectRefreshToken(this OpenIddictServerEvents.ProcessSignInContext context, string resource)
        => context.Reject(Errors.InvalidGrant, OpenIddictResources.GetResourceString(resource), OpenIddictResources.FormatID8000(resource));

    private static void RejectWith(this OpenIddictServerEvents.ValidateTokenContext context, string resource)
        => context.Reject(Errors.InvalidToken, OpenIddictResources.GetResourceString(resource), OpenIddictResources.FormatID8000(resource));

    private static bool IsRefreshToken(OpenIddictServerEvents.ValidateTokenContext context)
        => context.Principal is { } principal
            ? principal.GetTokenType() == TokenTypeIdentifiers.RefreshToken
            : context.ValidTokenTypes.Count == 1 && context.ValidTokenTypes.Contains(TokenTypeIdentifiers.RefreshToken);
}
