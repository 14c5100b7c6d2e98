using System.Security.Claims;
using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Endpoints;

/// <summary>
/// Builds the identity a token is issued for, from the user as they are now, and decides which
/// claims go into which token.
/// </summary>
public sealed class TokenIdentityFactory(
    UserManager<ApplicationUser> users,
    IOpenIddictScopeManager scopeManager,
    IOptions<IdentityOptions> identityOptions)
{
    /// <summary>Private claim of the refresh token: the user's security stamp when it was issued.</summary>
    public string SecurityStampClaim => identityOptions.Value.ClaimsIdentity.SecurityStampClaimType;

    /// <summary>
    /// The identity of <paramref name="user"/> for <paramref name="scopes"/>. The audiences are those
    /// of the scopes, unless <paramref name="resources"/> gives them: a refresh keeps the ones its
    /// login was granted, as it keeps its scopes.
    /// </summary>
    public async Task<ClaimsPrincipal> CreateForUserAsync(
        ApplicationUser user, IEnumerable<string> scopes, DateTimeOffset authenticatedAt, CancellationToken cancellationToken,
        IEnumerable<string>? resources = null)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, await users.GetUserIdAsync(user))
            .SetClaim(Claims.Name, string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName : user.DisplayName)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaim(Claims.Email, user.Email)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)])
            .SetClaim(SecurityStampClaim, await users.GetSecurityStampAsync(user));
        identity.AddClaim(new Claim(Claims.EmailVerified, user.EmailConfirmed ? "true" : "false", ClaimValueTypes.Boolean));
        identity.AddClaim(new Claim(Claims.AuthenticationTime,
            authenticatedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));

        return await FinishAsync(identity, scopes, resources, cancellationToken);
    }

    public async Task<ClaimsPrincipal> CreateForClientAsync(
        string clientId, string? displayName, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, clientId).SetClaim(Claims.Name, displayName ?? clientId);

        // Note: a client acting for itself has no user to sign in (openid) and no login to keep
        // alive (offline_access): RFC 6749 §4.4.3 says no refresh token should be issued.
        return await FinishAsync(identity, scopes.Except([Scopes.OpenId, Scopes.OfflineAccess]), resources: null, cancellationToken);
    }

    /// <summary>The time the login started, carried from token to token.</summary>
    public static DateTimeOffset? GetAuthenticationTime(ClaimsPrincipal principal)
        => long.TryParse(principal.GetClaim(Claims.AuthenticationTime), out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static ClaimsIdentity NewIdentity() => new(
        authenticationType: TokenValidationParameters.DefaultAuthenticationType,
        nameType: Claims.Name,
        roleType: Claims.Role);

    private async Task<ClaimsPrincipal> FinishAsync(
        ClaimsIdentity identity, IEnumerable<string> scopes, IEnumerable<string>? resources, CancellationToken cancellationToken)
    {
        var granted = scopes.ToHashSet(StringComparer.Ordinal);
        identity.SetScopes(granted);

        if (resources is null)
        {
            var listed = new List<string>();
            await foreach (var resource in scopeManager.ListResourcesAsync([.. granted], cancellationToken))
            {
                listed.Add(resource);
            }

            resources = listed;
        }

        identity.SetResources(resources);
        identity.SetDestinations(claim => GetDestinations(claim, granted));
        return new ClaimsPrincipal(identity);
    }

    private static IEnumerable<string> GetDestinations(Claim claim, HashSet<string> scopes)
    {
        var toIdentityToken = scopes.Contains(Scopes.OpenId);
        string? scope = claim.Type switch
        {
            Claims.Name or Claims.PreferredUsername => Scopes.Profile,
            Claims.Email or Claims.EmailVerified => Scopes.Email,
            Claims.Role => Scopes.Roles,
            _ => null,
        };

        if (scope is not null)
        {
            if (scopes.Contains(scope))
            {
                yield return Destinations.AccessToken;
                if (toIdentityToken)
                {
                    yield return Destinations.IdentityToken;
                }
            }

            yield break;
        }

        if (claim.Type == Claims.AuthenticationTime && toIdentityToken)
        {
            yield return Destinations.IdentityToken;
        }

        // Note: other claims (the security stamp above all) get no destination: they stay inside
        // the refresh token, which only this server can read.
    }
}
