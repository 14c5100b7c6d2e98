using AuthServer.Stores;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// Creates the ad-hoc authorization (the login) of a sign-in that issues a refresh token and has
/// none yet (the password grant), to be saved with its tokens in one transaction. In place of
/// OpenIddict's <c>AttachAuthorization</c>, which saves it on its own first: a grant that fails
/// after it left a login without tokens behind.
/// </summary>
internal sealed class StageAuthorization(IOpenIddictApplicationManager applications, TokenWrites writes)
    : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireAuthorizationStorageEnabled>()
            .UseScopedHandler<StageAuthorization>()
            .SetOrder(OpenIddictServerHandlers.AttachAuthorization.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        var needsLogin = context.GenerateAuthorizationCode || context.GenerateDeviceCode || context.GenerateRefreshToken ||
                         (context.GenerateIssuedToken && context.IssuedTokenType == TokenTypeIdentifiers.RefreshToken);
        var principal = context.Principal!;
        if (!needsLogin || !string.IsNullOrEmpty(principal.GetAuthorizationId()))
        {
            return;
        }

        var authorization = new NewAuthorization
        {
            ApplicationId = await ApplicationIdAsync(applications, context.Request?.ClientId, context.CancellationToken),
            Subject = principal.GetClaim(Claims.Subject),
            CreationDate = context.Options.TimeProvider.GetUtcNow(),
            Scopes = [.. principal.GetScopes()],
        };
        writes.Authorization = authorization;
        principal.SetAuthorizationId(authorization.Id);
    }

    /// <summary>The entry id of a client (OpenIddict's managers cache it for the request).</summary>
    public static async ValueTask<string?> ApplicationIdAsync(
        IOpenIddictApplicationManager applications, string? clientId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return null;
        }

        var application = await applications.FindByClientIdAsync(clientId, cancellationToken)
            ?? throw new InvalidOperationException($"The client '{clientId}' of a validated request cannot be found.");
        return await applications.GetIdAsync(application, cancellationToken);
    }
}
