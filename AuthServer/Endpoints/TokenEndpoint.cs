using System.Security.Claims;
using AuthRefresh.Shared;
using AuthServer.Data;
using AuthServer.Options;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Endpoints;

/// <summary>
/// <c>POST /connect/token</c>. OpenIddict has already validated the request, the client and (for
/// refresh_token) the refresh token; this handler decides who the token is for, one short branch
/// per grant type.
/// </summary>
public static class TokenEndpoint
{
    public const string Path = "/connect/token";

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ExchangeAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExchangeAsync(HttpContext context, [AsParameters] TokenServices services)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");
        var cancellationToken = context.RequestAborted;

        if (request.IsPasswordGrantType())
        {
            return await PasswordAsync(request, services, cancellationToken);
        }

        if (request.IsRefreshTokenGrantType())
        {
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return await RefreshAsync(result.Principal!, services, cancellationToken);
        }

        if (request.IsClientCredentialsGrantType())
        {
            return await ClientCredentialsAsync(request, services, cancellationToken);
        }

        // Note: OpenIddict rejects the grant types that are not enabled before this point.
        return Reject(Errors.UnsupportedGrantType, "The specified grant type is not supported.");
    }

    private static async Task<IResult> PasswordAsync(
        OpenIddictRequest request, TokenServices services, CancellationToken cancellationToken)
    {
        var user = await FindUserAsync(services.Users, request.Username!);
        if (user is null)
        {
            // Note: the hash is computed anyway, so that an unknown user takes as long to answer
            // as a wrong password and cannot be told apart by timing.
            services.PasswordHasher.VerifyHashedPassword(new ApplicationUser(), UnknownUserHash.Value, request.Password!);
            return Reject(Errors.InvalidGrant, TokenErrors.InvalidCredentials);
        }

        var check = await services.SignIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            return Reject(Errors.InvalidGrant, TokenErrors.LockedOut);
        }

        if (check.IsNotAllowed)
        {
            return Reject(Errors.InvalidGrant, TokenErrors.NotAllowed);
        }

        if (!check.Succeeded)
        {
            return Reject(Errors.InvalidGrant, TokenErrors.InvalidCredentials);
        }

        // Note: the password grant has no step for a second factor; letting it through would make
        // two-factor authentication optional for anyone who knows the password.
        if (await services.Users.GetTwoFactorEnabledAsync(user))
        {
            return Reject(Errors.InvalidGrant, TokenErrors.TwoFactorRequired);
        }

        var principal = await services.Identities.CreateForUserAsync(
            user, request.GetScopes(), services.Time.GetUtcNow(), cancellationToken);
        return SignIn(principal);
    }

    private static async Task<IResult> RefreshAsync(
        ClaimsPrincipal refreshPrincipal, TokenServices services, CancellationToken cancellationToken)
    {
        var user = await services.Users.FindByIdAsync(refreshPrincipal.GetClaim(Claims.Subject)!);

        // Note: the security stamp changes with the password, the roles or an explicit "sign
        // out everywhere", so a refresh token issued before any of them is refused.
        if (user is null ||
            refreshPrincipal.GetClaim(services.Identities.SecurityStampClaim) != await services.Users.GetSecurityStampAsync(user))
        {
            return Reject(Errors.InvalidGrant, TokenErrors.LoginNoLongerValid);
        }

        if (await services.Users.IsLockedOutAsync(user))
        {
            return Reject(Errors.InvalidGrant, TokenErrors.LockedOut);
        }

        if (!await services.SignIn.CanSignInAsync(user))
        {
            return Reject(Errors.InvalidGrant, TokenErrors.NotAllowed);
        }

        var authenticatedAt = TokenIdentityFactory.GetAuthenticationTime(refreshPrincipal);
        var remaining = authenticatedAt + services.Tokens.Value.RefreshTokenAbsoluteLifetime - services.Time.GetUtcNow();
        if (remaining is null || remaining <= TimeSpan.Zero)
        {
            return Reject(Errors.InvalidGrant, TokenErrors.LoginExpired);
        }

        // Note: the principal is re-created from the user as they are now, so that a changed
        // name, email or role is not copied from the old token. The scopes and their audiences are
        // the login's, as granted.
        var principal = await services.Identities.CreateForUserAsync(
            user, refreshPrincipal.GetScopes(), authenticatedAt!.Value, cancellationToken, refreshPrincipal.GetResources());

        // The new refresh token never outlives the login's absolute cap.
        if (remaining < services.Tokens.Value.RefreshTokenIdleLifetime)
        {
            principal.SetRefreshTokenLifetime(remaining);
        }

        return SignIn(principal);
    }

    private static async Task<IResult> ClientCredentialsAsync(
        OpenIddictRequest request, TokenServices services, CancellationToken cancellationToken)
    {
        var application = await services.Applications.FindByClientIdAsync(request.ClientId!, cancellationToken);
        if (application is null)
        {
            return Reject(Errors.InvalidClient, TokenErrors.UnknownClient);
        }

        var principal = await services.Identities.CreateForClientAsync(
            request.ClientId!,
            await services.Applications.GetDisplayNameAsync(application, cancellationToken),
            request.GetScopes(),
            cancellationToken);
        return SignIn(principal);
    }

    private static async Task<ApplicationUser?> FindUserAsync(UserManager<ApplicationUser> users, string username)
        => await users.FindByNameAsync(username)
            ?? (username.Contains('@', StringComparison.Ordinal) ? await users.FindByEmailAsync(username) : null);

    private static IResult SignIn(ClaimsPrincipal principal)
        => Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    internal static IResult Reject(string error, string description)
        => Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    /// <summary>A hash of a random password, computed once, to verify against for unknown users.</summary>
    private static class UnknownUserHash
    {
        public static readonly string Value = new PasswordHasher<ApplicationUser>()
            .HashPassword(new ApplicationUser(), Guid.NewGuid().ToString());
    }
}

/// <summary>What the token endpoint needs, resolved per request.</summary>
internal sealed record TokenServices(
    UserManager<ApplicationUser> Users,
    SignInManager<ApplicationUser> SignIn,
    IPasswordHasher<ApplicationUser> PasswordHasher,
    IOpenIddictApplicationManager Applications,
    TokenIdentityFactory Identities,
    IOptions<TokensOptions> Tokens,
    TimeProvider Time);
