using Microsoft.AspNetCore.Authorization;

namespace ResourceApi.Auth;

/// <summary>A scope the access token must carry.</summary>
public sealed class ScopeRequirement(string scope) : IAuthorizationRequirement
{
    public string Scope { get; } = scope;
}
