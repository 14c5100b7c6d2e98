using AuthRefresh.Shared;
using Microsoft.AspNetCore.Authorization;

namespace ResourceApi.Auth;

public static class ScopePolicy
{
    public const string Notes = NotesContract.Scope;

    public static void AddScopePolicies(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, InsufficientScopeResultHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Notes, policy => policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(Notes)));
    }
}
