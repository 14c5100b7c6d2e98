using AuthRefresh.Shared;
using AuthServer.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Endpoints;

/// <summary>
/// <c>GET/POST /connect/userinfo</c> (OIDC Core §5.3): the claims the access token's scopes
/// allow, read from the user as they are now.
/// </summary>
public static class UserInfoEndpoint
{
    public const string Path = "/connect/userinfo";

    public static IEndpointRouteBuilder MapUserInfoEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context, UserManager<ApplicationUser> users)
    {
        // Note: OpenIddict has validated the access token before this point.
        var principal = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal!;
        var user = await users.FindByIdAsync(principal.GetClaim(Claims.Subject)!);
        if (user is null)
        {
            return Results.Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = TokenErrors.AccountGone,
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var claims = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [Claims.Subject] = await users.GetUserIdAsync(user),
        };

        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName : user.DisplayName;
            claims[Claims.PreferredUsername] = user.UserName;
        }

        if (principal.HasScope(Scopes.Email))
        {
            claims[Claims.Email] = user.Email;
            claims[Claims.EmailVerified] = user.EmailConfirmed;
        }

        if (principal.HasScope(Scopes.Roles))
        {
            claims[Claims.Role] = await users.GetRolesAsync(user);
        }

        return Results.Ok(claims);
    }
}
