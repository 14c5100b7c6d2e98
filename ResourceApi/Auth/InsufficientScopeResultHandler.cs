using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using OpenIddict.Validation.AspNetCore;
using ResourceApi.Telemetry;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ResourceApi.Auth;

/// <summary>
/// A valid token without the scope gets 403 with
/// <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="…"</c> (RFC 6750 §3.1), rather
/// than OpenIddict's default <c>insufficient_access</c>.
/// </summary>
internal sealed class InsufficientScopeResultHandler(ApiMetrics metrics) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault();
        if (!authorizeResult.Forbidden || missing is null)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        metrics.TokenRejected("insufficient_scope");
        return context.ForbidAsync(
            CachedBearerHandler.SchemeName,
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictValidationAspNetCoreConstants.Properties.Error] = Errors.InsufficientScope,
                [OpenIddictValidationAspNetCoreConstants.Properties.ErrorDescription] = $"The '{missing.Scope}' scope is required.",
                [OpenIddictValidationAspNetCoreConstants.Properties.ErrorUri] = "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
                [OpenIddictValidationAspNetCoreConstants.Properties.Scope] = missing.Scope,
            }));
    }
}
