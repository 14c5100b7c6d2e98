using AuthServer.Stores;
using AuthServer.Telemetry;
using AuthServer.Tokens;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenIddict.Server;

namespace AuthServer.Handlers;

/// <summary>
/// AuthServer's OpenIddict server handlers, in one list: the default handlers this folder
/// replaces, each by one that keeps its contract (token storage and redemption), and the handlers
/// it adds (token storage, refusal logs, metrics). Events reach them through
/// <see cref="IndexedDispatcher"/>, which keeps the contract of OpenIddict's dispatcher.
/// </summary>
internal static class ServerHandlers
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
        (OpenIddictServerHandlers.AttachTokenDigests.Descriptor, AttachTokenHashes.Descriptor),
    ];

    internal static readonly OpenIddictServerHandlerDescriptor[] Added =
    [
        SkipIdentityTokenStorage.Descriptor,
        SaveTokenEntries.Descriptor,
        LogRefusedTokenRequests.Descriptor,
        StartTokenRequestClock.Descriptor,
        MeasureTokenResponse.Descriptor,
    ];

    public static OpenIddictServerBuilder AddAuthRefreshHandlers(this OpenIddictServerBuilder server)
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

        // Note: OpenIddict registers its dispatcher with TryAdd before this runs.
        var services = server.Services;
        services.AddSingleton(provider => new DispatchPlan(provider, services));
        services.Replace(ServiceDescriptor.Scoped<IOpenIddictServerDispatcher, IndexedDispatcher>());

        server.Services.AddScoped<TokenLedger>();
        server.Services.AddSingleton<SqliteGroupCommit>();
        server.Services.AddScoped<TokenWrites>();
        server.Services.AddScoped<RefreshTokenReplays>();
        server.Services.AddSingleton<RefreshTokenFormat>();
        server.Services.AddSingleton<AuthServerMetrics>();
        return server;
    }
}
