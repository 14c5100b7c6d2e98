using System.Security.Claims;
using AuthRefresh.Shared;
using AuthServer.Accounts;
using AuthServer.Data;
using AuthServer.RateLimiting;
using AuthServer.Telemetry;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
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
        if (services.Limits.TryClient(request.ClientId) is { } clientWait)
        {
            if (request.IsPasswordGrantType())
            {
                services.Metrics.LoginFailed(LoginFailure.RateLimited);
            }

            return new TemporarilyUnavailable(StatusCodes.Status429TooManyRequests, clientWait, "Too many requests from this client");
        }

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
        if (services.Limits.TryUser(request.Username!) is { } userWait)
        {
            services.Metrics.LoginFailed(LoginFailure.RateLimited);
            return new TemporarilyUnavailable(StatusCodes.Status429TooManyRequests, userWait, "Too many sign-in attempts for this username");
        }

        // Note: no hash is computed without a turn; past the queue the answer is immediate.
        using var turn = await services.Hashing.EnterAsync(cancellationToken);
        if (turn is null)
        {
            services.Metrics.LoginFailed(LoginFailure.RateLimited);
            return new TemporarilyUnavailable(StatusCodes.Status429TooManyRequests, TimeSpan.FromSeconds(1), RateLimitingSetup.PasswordsBusy);
        }

        var user = await FindUserAsync(services.Users, request.Username!);
        if (user is null)
        {
            // Note: the hash is computed anyway, so that an unknown user takes as long to answer
            // as a wrong password and cannot be told apart by timing.
            PasswordHashingGate.VerifyDecoy(services.PasswordHasher, request.Password!);
            return RejectLogin(services, LoginFailure.InvalidCredentials, TokenErrors.InvalidCredentials);
        }

        var check = await services.SignIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            // Note: a locked account answers as a wrong password does, in as much time (Identity
            // does not verify a locked account's password): only its owner, told by email, and
            // the administrators learn of the lockout, not whoever is guessing.
            PasswordHashingGate.VerifyDecoy(services.PasswordHasher, request.Password!);
            return RejectLogin(services, LoginFailure.LockedOut, TokenErrors.InvalidCredentials);
        }

        if (check.IsNotAllowed)
        {
            return RejectLogin(services, LoginFailure.NotAllowed, TokenErrors.NotAllowed);
        }

        if (!check.Succeeded)
        {
            return RejectLogin(services, LoginFailure.InvalidCredentials, TokenErrors.InvalidCredentials);
        }

        // Note: the password grant has no step for a second factor; letting it through would make
        // two-factor authentication optional for anyone who knows the password.
        if (await services.Users.GetTwoFactorEnabledAsync(user))
        {
            return RejectLogin(services, LoginFailure.NotAllowed, TokenErrors.TwoFactorRequired);
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

    private static IResult RejectLogin(TokenServices services, LoginFailure reason, string description)
    {
        services.Metrics.LoginFailed(reason);
        return Reject(Errors.InvalidGrant, description);
    }

    internal static IResult Reject(string error, string description)
        => Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
