using OpenIddict.Server;

namespace AuthServer.Tokens;

/// <summary>
/// How tokens are stored: OpenIddict's default handlers that this folder replaces, each by one
/// that keeps its contract, and the handlers it adds.
/// </summary>
internal static class TokenStorageSetup
{
    /// <summary>Each default handler and the one that takes its place (null: the first does its work too).</summary>
    internal static readonly (OpenIddictServerHandlerDescriptor Default, OpenIddictServerHandlerDescriptor? Replacement)[] Replaced =
    [
        (OpenIddictServerHandlers.Protection.ValidateReferenceTokenIdentifier.Descriptor, ResolveStoredToken.Descriptor),
        (OpenIddictServerHandlers.Protection.RestoreTokenEntryProperties.Descriptor, RestoreStoredTokenProperties.Descriptor),
        (OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor, ValidateStoredTokenStatus.Descriptor),
        (OpenIddictServerHandlers.Protection.ValidateAuthorizationEntry.Descriptor, null),
        (OpenIddictServerHandlers.RedeemTokenEntry.Descriptor, RedeemRefreshToken.Descriptor),
        (OpenIddictServerHandlers.AttachAuthorization.Descriptor, StageAuthorization.Descriptor),
        (OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor, StageTokenEntry.Descriptor),
        (OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor, RevokeTokenOrLogin.Descriptor),
    ];

    internal static readonly OpenIddictServerHandlerDescriptor[] Added =
    [
        SkipIdentityTokenStorage.Descriptor,
        SaveTokenEntries.Descriptor,
        LogRefusedTokenRequests.Descriptor,
    ];

    public static OpenIddictServerBuilder UseStoredTokens(this OpenIddictServerBuilder server)
    {
        foreach (var (replaced, replacement) in Replaced)
        {
            server.RemoveEventHandler(replaced);
            if (replacement is not null)
            {
                server.AddEventHandler(replacement);
            }
        }

        foreach (var handler in Added)
        {
            server.AddEventHandler(handler);
        }

        server.Services.AddScoped<TokenLedger>();
        server.Services.AddScoped<TokenWrites>();
        server.Services.AddScoped<RefreshTokenReplays>();
        server.Services.AddSingleton<RefreshTokenFormat>();
        return server;
    }
}
