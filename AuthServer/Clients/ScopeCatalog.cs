using AuthRefresh.Shared;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Clients;

/// <summary>The scopes AuthServer knows, and the audiences (resources) they grant.</summary>
public static class ScopeCatalog
{
    public const string Notes = NotesContract.Scope;
    public const string ResourceApiAudience = NotesContract.Audience;

    public static readonly IReadOnlyList<(string Name, string DisplayName, string[] Resources)> All =
    [
        (Scopes.OpenId, "Sign you in", []),
        (Scopes.Profile, "Your name and user name", []),
        (Scopes.Email, "Your email address", []),
        (Scopes.Roles, "Your roles", []),
        (Scopes.OfflineAccess, "Stay signed in (refresh tokens)", []),
        (Notes, "Read and write your notes", [ResourceApiAudience]),
    ];

    public static string[] Names => [.. All.Select(s => s.Name)];
}
