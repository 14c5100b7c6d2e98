using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ResourceApi.Auth;

/// <summary><c>GET /api/me</c>: who the access token says the caller is.</summary>
public static class MeApi
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", Me).RequireAuthorization(ScopePolicy.Notes).WithTags("Me");
        return app;
    }

    public static Ok<MeResponse> Me(ClaimsPrincipal user) => TypedResults.Ok(new MeResponse(
        Subject: user.GetClaim(Claims.Subject)!,
        Name: user.GetClaim(Claims.Name),
        Username: user.GetClaim(Claims.PreferredUsername),
        Scopes: [.. user.GetScopes()],
        ClientId: user.GetClaim(Claims.ClientId),
        ExpiresAt: user.GetExpirationDate()));
}
